// A sequential reader over a raw or gzip-compressed file (gzip is recognised by its magic
// bytes 1f 8b and inflated with zlib, one or more members). It counts the uncompressed
// offset, so that every error names the file, the offset and the field being read.
#pragma once

#include "data/Error.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nnc::rt {

class ByteStream {
public:
  // Opens `path`; Io error when it cannot be opened or its first bytes cannot be read.
  static Expected<ByteStream> open(std::string path);

  ByteStream(ByteStream &&other) noexcept;
  ByteStream &operator=(ByteStream &&other) noexcept;
  ~ByteStream();

  // Reads exactly n bytes of `field` into dst. Format error when the data ends first
  // (truncated file or gzip stream) or the gzip stream is corrupt; Io on read errors.
  Status readExact(void *dst, uint64_t n, std::string_view field);
  // Appends exactly n bytes of `field` to out, growing it chunk by chunk so that a header
  // that promises more than the file holds never allocates much more than the file's size.
  Status readAppend(std::vector<uint8_t> &out, uint64_t n, std::string_view field);
  // Appends everything up to the end of the data; Format error past maxBytes.
  Status readToEnd(std::vector<uint8_t> &out, uint64_t maxBytes, std::string_view field);
  // Format error unless the data ends here. Reading past the last byte also makes zlib
  // check the gzip trailer (CRC-32 and length), which catches corruption that inflates.
  Status expectEnd();

  const std::string &path() const { return path_; }
  uint64_t offset() const { return offset_; } // uncompressed bytes consumed so far
  bool isGzip() const { return inflater_ != nullptr; }

private:
  struct FileCloser {
    void operator()(std::FILE *f) const { std::fclose(f); }
  };
  struct Inflater; // zlib state, kept out of this header

  ByteStream(std::string path, std::FILE *file, std::unique_ptr<Inflater> inflater);
  // Reads up to n bytes (fewer only at the end of the data); the count or an Error.
  Expected<uint64_t> readSome(void *dst, uint64_t n, std::string_view field);
  Expected<uint64_t> inflateSome(unsigned char *dst, uint64_t n, std::string_view field);

  std::string path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::unique_ptr<Inflater> inflater_; // set for gzip files
  uint64_t offset_ = 0;
};

} // namespace nnc::rt
