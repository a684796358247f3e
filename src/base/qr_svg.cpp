#include "base/qr_svg.h"

#include <qrencode.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace anjian {

std::string qr_svg(std::string_view text, int module_px) {
  const std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) throw std::runtime_error("QR encoding failed");
  const int quiet = 4, width = code->width, side = (width + 2 * quiet) * module_px;
  std::string path;
  for (int y = 0; y < width; ++y)
    for (int x = 0; x < width; ++x)
      if (code->data[y * width + x] & 1)  // bit 0: a dark module
        path += "M" + std::to_string((x + quiet) * module_px) + " " + std::to_string((y + quiet) * module_px) + "h" +
                std::to_string(module_px) + "v" + std::to_string(module_px) + "h-" + std::to_string(module_px) + "z";
  const std::string s = std::to_string(side);
  return R"(<svg xmlns="http://www.w3.org/2000/svg" width=")" + s + R"(" height=")" + s + R"(" viewBox="0 0 )" + s + " " + s +
         R"(" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d=")" + path + R"("/></svg>)";
}

}  // namespace anjian
