// ByteStream: raw files through stdio, gzip files through zlib's inflate into the
// caller's buffer, with every short read classified as truncation, corruption or an I/O
// error at an exact uncompressed offset.
#include "data/ByteStream.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace nnc::rt {

namespace {
constexpr uint64_t kChunk = uint64_t(1) << 24;  // bytes per growth step of the output
constexpr size_t kInputBuffer = size_t(1) << 18; // compressed bytes per fread
} // namespace

struct ByteStream::Inflater {
  z_stream zs{};
  std::vector<unsigned char> input = std::vector<unsigned char>(kInputBuffer);
  uint64_t fileOffset = 0; // compressed bytes read from the file
  bool memberEnded = false; // the last inflate call finished a gzip member

  ~Inflater() { inflateEnd(&zs); }
  // Compressed bytes consumed by inflate so far.
  uint64_t consumed() const { return fileOffset - zs.avail_in; }
};

ByteStream::ByteStream(std::string path, std::FILE *file, std::unique_ptr<Inflater> inflater)
    : path_(std::move(path)), file_(file), inflater_(std::move(inflater)) {}
ByteStream::ByteStream(ByteStream &&other) noexcept = default;
ByteStream &ByteStream::operator=(ByteStream &&other) noexcept = default;
ByteStream::~ByteStream() = default;

Expected<ByteStream> ByteStream::open(std::string path) {
  std::FILE *file = std::fopen(path.c_str(), "rb");
  if (!file)
    return fileError(ErrorCode::Io, path, fmt::format("cannot open: {}", std::strerror(errno)));
  unsigned char magic[2] = {0, 0};
  size_t got = std::fread(magic, 1, 2, file);
  if (got < 2 && std::ferror(file)) {
    int err = errno;
    std::fclose(file);
    return fileError(ErrorCode::Io, path, fmt::format("cannot read: {}", std::strerror(err)));
  }
  std::rewind(file);
  if (got < 2 || magic[0] != 0x1f || magic[1] != 0x8b)
    return ByteStream(std::move(path), file, nullptr);
  auto inflater = std::make_unique<Inflater>();
  // 15 + 16: a 32 KiB window and a gzip wrapper (header, CRC-32 and length checked).
  if (inflateInit2(&inflater->zs, 15 + 16) != Z_OK) {
    std::fclose(file);
    return fileError(ErrorCode::Io, path, "cannot initialise zlib");
  }
  return ByteStream(std::move(path), file, std::move(inflater));
}

Expected<uint64_t> ByteStream::inflateSome(unsigned char *dst, uint64_t n,
                                           std::string_view field) {
  Inflater &z = *inflater_;
  uint64_t total = 0;
  while (total < n) {
    if (z.zs.avail_in == 0) {
      size_t got = std::fread(z.input.data(), 1, z.input.size(), file_.get());
      if (got == 0 && std::ferror(file_.get()))
        return fileErrorAt(ErrorCode::Io, path_, offset_ + total,
                           fmt::format("read error in {}: {}", field, std::strerror(errno)));
      z.zs.next_in = z.input.data();
      z.zs.avail_in = unsigned(got);
      z.fileOffset += got;
      if (got == 0) {
        if (z.memberEnded)
          break; // the end of the last member is the end of the data
        return fileErrorAt(ErrorCode::Format, path_, offset_ + total,
                           fmt::format("truncated gzip stream in {}: the compressed data "
                                       "stops after {} bytes",
                                       field, z.fileOffset));
      }
    }
    if (z.memberEnded) {
      inflateReset(&z.zs); // another gzip member follows (a concatenated .gz file)
      z.memberEnded = false;
    }
    auto want = unsigned(std::min<uint64_t>(n - total, 1u << 30));
    z.zs.next_out = dst + total;
    z.zs.avail_out = want;
    int ret = inflate(&z.zs, Z_NO_FLUSH);
    total += want - z.zs.avail_out;
    if (ret == Z_STREAM_END) {
      z.memberEnded = true;
    } else if (ret == Z_MEM_ERROR) {
      return fileErrorAt(ErrorCode::Io, path_, offset_ + total,
                         fmt::format("out of memory inflating {}", field));
    } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
      // Z_DATA_ERROR: bad deflate data, a bad header, or a CRC-32/length mismatch.
      return fileErrorAt(ErrorCode::Format, path_, offset_ + total,
                         fmt::format("corrupt gzip stream in {} at compressed byte {} "
                                     "(zlib: {})",
                                     field, z.consumed(), z.zs.msg ? z.zs.msg : "data error"));
    }
  }
  return total;
}

Expected<uint64_t> ByteStream::readSome(void *dst, uint64_t n, std::string_view field) {
  auto *out = static_cast<unsigned char *>(dst);
  uint64_t total = 0;
  if (inflater_) {
    auto got = inflateSome(out, n, field);
    if (!got)
      return std::move(got).takeError();
    total = *got;
  } else {
    total = std::fread(out, 1, n, file_.get());
    if (total < n && std::ferror(file_.get()))
      return fileErrorAt(ErrorCode::Io, path_, offset_ + total,
                         fmt::format("read error in {}: {}", field, std::strerror(errno)));
  }
  offset_ += total;
  return total;
}

Status ByteStream::readExact(void *dst, uint64_t n, std::string_view field) {
  uint64_t start = offset_;
  auto got = readSome(dst, n, field);
  if (!got)
    return std::move(got).takeError();
  if (*got < n)
    return fileErrorAt(ErrorCode::Format, path_, start,
                       fmt::format("truncated: {} needs {} bytes but the data ends at offset {}",
                                   field, n, start + *got));
  return okStatus();
}

Status ByteStream::readAppend(std::vector<uint8_t> &out, uint64_t n, std::string_view field) {
  uint64_t start = offset_;
  uint64_t done = 0;
  while (done < n) {
    uint64_t want = std::min(n - done, kChunk);
    size_t old = out.size();
    out.resize(old + want);
    auto got = readSome(out.data() + old, want, field);
    if (!got)
      return std::move(got).takeError();
    done += *got;
    if (*got < want) {
      out.resize(old + *got);
      return fileErrorAt(
          ErrorCode::Format, path_, start,
          fmt::format("truncated: {} needs {} bytes but the data ends at offset {}", field, n,
                      start + done));
    }
  }
  return okStatus();
}

Status ByteStream::readToEnd(std::vector<uint8_t> &out, uint64_t maxBytes,
                             std::string_view field) {
  uint64_t start = offset_;
  for (;;) {
    size_t old = out.size();
    out.resize(old + kChunk);
    auto got = readSome(out.data() + old, kChunk, field);
    if (!got)
      return std::move(got).takeError();
    out.resize(old + *got);
    if (offset_ - start > maxBytes)
      return fileErrorAt(ErrorCode::Format, path_, start,
                         fmt::format("{} exceed the limit of {} bytes", field, maxBytes));
    if (*got < kChunk)
      return okStatus();
  }
}

Status ByteStream::expectEnd() {
  unsigned char extra;
  uint64_t end = offset_;
  auto got = readSome(&extra, 1, "the end of the data");
  if (!got)
    return std::move(got).takeError();
  if (*got != 0)
    return fileErrorAt(ErrorCode::Format, path_, end,
                       "unexpected data after the end of the content the header describes");
  return okStatus();
}

} // namespace nnc::rt
