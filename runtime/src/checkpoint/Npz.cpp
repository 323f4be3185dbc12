// .npz export and import through libzip: export streams each header and the caller's data
// as buffer fragments (no copy of the tensor bytes); import reads each entry's header,
// checks its size, then its data straight into aligned memory.
#include "checkpoint/Npz.h"

#include "checkpoint/AlignedBuffer.h"
#include "checkpoint/AtomicFile.h"
#include "checkpoint/Npy.h"

#include <fmt/format.h>
#include <zip.h>

#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

namespace nnc::rt {
namespace {

std::string zipErrorText(int code) {
  zip_error_t e;
  zip_error_init_with_code(&e, code);
  std::string text = zip_error_strerror(&e);
  zip_error_fini(&e);
  return text;
}

struct ZipDiscard {
  void operator()(zip_t *z) const { zip_discard(z); }
};
struct ZipFileClose {
  void operator()(zip_file_t *f) const { zip_fclose(f); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileClose>;

// Reads up to `n` bytes (fewer only at the end of the entry); -1 on a zip error.
int64_t readFully(zip_file_t *f, std::byte *out, uint64_t n) {
  uint64_t done = 0;
  while (done < n) {
    zip_int64_t got = zip_fread(f, out + done, n - done);
    if (got < 0) return -1;
    if (got == 0) break;
    done += uint64_t(got);
  }
  return int64_t(done);
}

} // namespace

CheckpointStatus exportNpz(const std::string &path, std::span<const TensorRecord> tensors) {
  if (auto s = validateTensors(tensors, path); !s) return s;
  if (tensors.empty()) {
    // libzip writes no file for an archive without entries; np.savez() writes just the
    // end-of-central-directory record, and so do we.
    static const uint8_t kEmptyZip[22] = {'P', 'K', 5, 6};
    return writeFileAtomically(path, std::as_bytes(std::span(kEmptyZip)));
  }
  std::string tmp = tempPathFor(path);
  int code = 0;
  ZipPtr za(zip_open(tmp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code));
  if (!za)
    return CheckpointError{CheckpointErrorCode::Io,
                           fmt::format("{}: cannot create {}: {}", path, tmp, zipErrorText(code))};
  auto zipFailure = [&](const std::string &what) {
    std::string msg = fmt::format("{}: {}: {}", path, what, zip_strerror(za.get()));
    za.reset();
    ::unlink(tmp.c_str());
    return CheckpointError{CheckpointErrorCode::Io, msg};
  };

  // The headers must live until zip_close, which reads every source.
  std::vector<std::string> headers;
  headers.reserve(tensors.size());
  for (const TensorRecord &t : tensors) {
    headers.push_back(encodeNpyHeader(t.dtype, t.shape));
    const std::string &h = headers.back();
    zip_buffer_fragment_t fragments[2] = {
        {reinterpret_cast<zip_uint8_t *>(const_cast<char *>(h.data())), h.size()},
        {reinterpret_cast<zip_uint8_t *>(const_cast<std::byte *>(t.bytes.data())),
         t.bytes.size()}};
    zip_source_t *src = zip_source_buffer_fragment(za.get(), fragments, t.bytes.empty() ? 1 : 2, 0);
    if (!src) return zipFailure(fmt::format("cannot add tensor '{}'", t.name));
    zip_int64_t index = zip_file_add(za.get(), (t.name + ".npy").c_str(), src, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(src);
      return zipFailure(fmt::format("cannot add tensor '{}'", t.name));
    }
    if (zip_set_file_compression(za.get(), zip_uint64_t(index), ZIP_CM_STORE, 0) != 0)
      return zipFailure(fmt::format("cannot store tensor '{}'", t.name));
  }
  if (zip_close(za.get()) != 0) return zipFailure("cannot write the archive");
  za.release(); // zip_close freed it
  return commitTempFile(tmp, path);
}

CheckpointResult<TensorSet> importNpz(const std::string &path, const NpzImportOptions &options) {
  int code = 0;
  ZipPtr za(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code));
  if (!za) {
    CheckpointErrorCode c = CheckpointErrorCode::Io;
    std::string msg = zipErrorText(code);
    if (code == ZIP_ER_NOENT) c = CheckpointErrorCode::NotFound;
    if (code == ZIP_ER_NOZIP) {
      c = CheckpointErrorCode::WrongIdentifier;
      msg = "not a zip archive (an .npz file is one)";
    }
    if (code == ZIP_ER_INCONS) c = CheckpointErrorCode::Corrupt;
    return CheckpointError{c, fmt::format("{}: cannot open the archive: {}", path, msg)};
  }

  std::unordered_map<std::string_view, const TensorSpec *> expected;
  for (const TensorSpec &t : options.expected) expected.emplace(t.name, &t);

  auto buffers = std::make_shared<std::vector<AlignedBuffer>>();
  std::vector<TensorRecord> records;
  std::unordered_set<std::string> seen;
  zip_int64_t entries = zip_get_num_entries(za.get(), 0);
  for (zip_int64_t i = 0; i < entries; ++i) {
    zip_stat_t st;
    if (zip_stat_index(za.get(), zip_uint64_t(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
      return CheckpointError{CheckpointErrorCode::Corrupt,
                             fmt::format("{}: cannot read entry {}: {}", path, i,
                                         zip_strerror(za.get()))};
    std::string entry = st.name;
    std::string where = fmt::format("{}: entry '{}'", path, entry);
    auto error = [&](CheckpointErrorCode c, const std::string &msg) {
      return CheckpointError{c, fmt::format("{}: {}", where, msg)};
    };
    if (entry.size() <= 4 || entry.compare(entry.size() - 4, 4, ".npy") != 0)
      return error(CheckpointErrorCode::Malformed, "not an .npy array (the name must end in .npy)");
    std::string name = entry.substr(0, entry.size() - 4);
    if (!seen.insert(name).second)
      return error(CheckpointErrorCode::Malformed, "the archive holds this name twice");
    const TensorSpec *want = nullptr;
    if (!options.expected.empty()) {
      auto it = expected.find(name);
      if (it == expected.end()) {
        if (options.allowUnexpected) continue;
        return error(CheckpointErrorCode::Mismatch,
                     fmt::format("'{}' names no tensor of the model", name));
      }
      want = it->second;
    }

    ZipFilePtr zf(zip_fopen_index(za.get(), zip_uint64_t(i), 0));
    if (!zf)
      return error(CheckpointErrorCode::Corrupt,
                   fmt::format("cannot open: {}", zip_strerror(za.get())));
    auto readError = [&]() {
      return error(CheckpointErrorCode::Corrupt,
                   fmt::format("cannot read: {}", zip_file_strerror(zf.get())));
    };
    std::vector<std::byte> header(kNpyPreambleBytes);
    int64_t got = readFully(zf.get(), header.data(), header.size());
    if (got < 0) return readError();
    header.resize(size_t(got));
    auto length = npyHeaderLength(header, where);
    if (!length) return std::move(length).takeError();
    if (*length > header.size()) {
      size_t have = header.size();
      header.resize(*length);
      got = readFully(zf.get(), header.data() + have, *length - have);
      if (got < 0) return readError();
      header.resize(have + size_t(got));
    } else {
      // A header no longer than the preamble has no room for the dict.
      return error(CheckpointErrorCode::Malformed, "the .npy header is shorter than its preamble");
    }
    auto parsed = parseNpyHeader(header, where);
    if (!parsed) return std::move(parsed).takeError();
    NpyHeader &h = *parsed;
    uint64_t entryBytes = h.headerBytes + h.dataBytes;
    if ((st.valid & ZIP_STAT_SIZE) && st.size != entryBytes)
      return error(CheckpointErrorCode::Malformed,
                   fmt::format("size mismatch: the header says shape ({}) of {} = {} data bytes "
                               "but the entry holds {}",
                               fmt::join(h.shape, ", "), npyDescr(h.dtype), h.dataBytes,
                               st.size >= h.headerBytes ? st.size - h.headerBytes : 0));
    if (want && (want->dtype != h.dtype || want->shape != h.shape))
      return error(CheckpointErrorCode::Mismatch,
                   fmt::format("tensor '{}' is {} in the model but {} in the archive", name,
                               formatSpec(*want), formatSpec(h.dtype, h.shape)));

    auto data = AlignedBuffer::allocate(h.dataBytes, where);
    if (!data) return std::move(data).takeError();
    got = readFully(zf.get(), data->data(), h.dataBytes);
    if (got < 0) return readError();
    std::byte extra;
    int64_t more = readFully(zf.get(), &extra, 1); // also makes libzip check the CRC
    if (more < 0) return readError();
    if (uint64_t(got) != h.dataBytes || more != 0)
      return error(CheckpointErrorCode::Malformed,
                   fmt::format("size mismatch: the header says {} data bytes but the entry "
                               "holds {}{}",
                               h.dataBytes, got, more ? " or more" : ""));
    if (h.dtype == DType::I1)
      for (std::byte b : data->bytes())
        if (uint8_t(b) > 1)
          return error(CheckpointErrorCode::Malformed, "a bool element is neither 0 nor 1");

    TensorRecord r;
    r.name = std::move(name);
    r.dtype = h.dtype;
    r.shape = std::move(h.shape);
    r.bytes = data->bytes();
    buffers->push_back(std::move(data).value());
    records.push_back(std::move(r));
  }

  TensorSet out;
  out.storage = buffers;
  if (options.expected.empty()) {
    out.tensors = std::move(records);
    return out;
  }
  std::unordered_map<std::string_view, size_t> index;
  for (size_t i = 0; i < records.size(); ++i) index.emplace(records[i].name, i);
  for (const TensorSpec &t : options.expected) {
    auto it = index.find(t.name);
    if (it == index.end())
      return CheckpointError{CheckpointErrorCode::Mismatch,
                             fmt::format("{}: tensor '{}' ({}) of the model is not in the "
                                         "archive",
                                         path, t.name, formatSpec(t))};
    out.tensors.push_back(records[it->second]);
  }
  return out;
}

} // namespace nnc::rt
