// What a file's bytes say it is, and names that are safe to keep (the evidence file store).
#include <gtest/gtest.h>

#include <string>

#include "base/file_type.h"

using namespace anjian;

namespace {
const FileType* sniff(const std::string& bytes) { return sniff_file_type(bytes); }
std::string mime(const std::string& bytes) {
  const FileType* t = sniff(bytes);
  return t ? std::string(t->mime) : "-";
}
}  // namespace

TEST(FileType, ByMagicBytesNotByName) {
  EXPECT_EQ(mime("\xFF\xD8\xFF\xE0" + std::string(20, 'x')), "image/jpeg");
  EXPECT_EQ(mime(std::string("\x89PNG\r\n\x1A\n", 8) + "rest"), "image/png");
  EXPECT_EQ(mime(std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16)), "image/webp");
  EXPECT_EQ(mime(std::string("\x00\x00\x00\x18", 4) + "ftypheic" + std::string(8, '\0')), "image/heic");
  EXPECT_EQ(mime("%PDF-1.7\n%…"), "application/pdf");
  // Not evidence: a Windows program, a ZIP (an .xlsx too), HTML, a script, an MP4, SVG, nothing.
  for (const std::string& other : {std::string("MZ\x90\x00", 4), std::string("PK\x03\x04"), std::string("<html><script>"),
                                   std::string("#!/bin/sh\n"), std::string("\x00\x00\x00\x18") + "ftypmp42" + std::string(8, '\0'),
                                   std::string("<svg xmlns=\"http://www.w3.org/2000/svg\">"), std::string(), std::string("\xFF\xD8")})
    EXPECT_EQ(sniff(other), nullptr) << other;
}

TEST(FileType, ExtensionsAndSafeNames) {
  EXPECT_EQ(extension_of("IMG_0001.JPG"), "jpg");
  EXPECT_EQ(extension_of("报告.final.pdf"), "pdf");
  EXPECT_EQ(extension_of("noext"), "");
  EXPECT_EQ(extension_of(".hidden"), "");
  EXPECT_EQ(extension_of("dir.d/file"), "");
  EXPECT_EQ(safe_file_name("../../etc/passwd"), "passwd");
  EXPECT_EQ(safe_file_name("C:\\Users\\x\\现场照片.jpg"), "现场照片.jpg");
  EXPECT_EQ(safe_file_name("a\"b'c<d>e\r\nf\x01.png"), "abcdef.png");
  EXPECT_EQ(safe_file_name(".."), "");
  EXPECT_EQ(safe_file_name("/"), "");
  // At most 120 bytes, cut between characters (隐 is 3 bytes: 40 of them).
  std::string long_name;
  for (int i = 0; i < 60; ++i) long_name += "隐";
  EXPECT_EQ(safe_file_name(long_name).size(), 120u);
}
