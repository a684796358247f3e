#pragma once
// A QR code (libqrencode) drawn as an SVG image: what the console shows an administrator to scan
// into an authenticator app. The picture is made on the server so that the secret never goes to
// a third-party script.
#include <string>
#include <string_view>

namespace anjian {

// An SVG of `text` at error correction level M, `module_px` pixels per module, with the quiet
// zone of 4 modules the standard asks for. Throws std::runtime_error when the text cannot be coded.
std::string qr_svg(std::string_view text, int module_px = 4);

}  // namespace anjian
