// Standardization statistics through the data layer, stored as a small .npz archive.
#include "driver/Normalization.h"

#include "checkpoint/Npz.h"
#include "driver/Errors.h"

#include <fmt/format.h>

#include <cstring>
#include <filesystem>

namespace nnc::rt::driver {

std::optional<Normalize> parseNormalize(const std::string &text) {
  if (text == "none") return Normalize::None;
  if (text == "per-channel") return Normalize::PerChannel;
  if (text == "per-pixel") return Normalize::PerPixel;
  return std::nullopt;
}

Expected<Normalization> computeNormalization(const Dataset &train, Normalize mode) {
  if (mode == Normalize::None) return Normalization{};
  auto stats = computeStandardizer(
      train, mode == Normalize::PerPixel ? StandardizeMode::PerPixel : StandardizeMode::PerChannel);
  if (!stats) return std::move(stats).takeError();
  return Normalization{std::move(stats).value()};
}

Status applyNormalization(const Normalization &n, Dataset &data) {
  return n ? applyStandardizer(*n, data) : okStatus();
}

std::string normalizationPathFor(const std::string &checkpointPath) {
  return (std::filesystem::path(checkpointPath).parent_path() / "standardize.npz").string();
}

namespace {

TensorRecord record(const std::string &name, DType dtype, std::vector<int64_t> shape, const void *data, size_t bytes) {
  TensorRecord r;
  r.name = name;
  r.dtype = dtype;
  r.shape = std::move(shape);
  r.bytes = {static_cast<const std::byte *>(data), bytes};
  return r;
}

} // namespace

Status saveNormalization(const std::string &path, const Normalization &n) {
  int64_t mode = !n ? 0 : n->mode == StandardizeMode::PerChannel ? 1 : 2;
  int64_t shape[3] = {n ? n->channels : 0, n ? n->height : 0, n ? n->width : 0};
  std::vector<TensorRecord> records{record("mode", DType::I64, {}, &mode, 8),
                                    record("image_shape", DType::I64, {3}, shape, sizeof shape)};
  if (n) {
    std::vector<int64_t> statShape = n->mode == StandardizeMode::PerChannel
                                         ? std::vector<int64_t>{n->channels}
                                         : std::vector<int64_t>{n->channels, n->height, n->width};
    records.push_back(record("mean", DType::F32, statShape, n->mean.data(), n->mean.size() * 4));
    records.push_back(record("std", DType::F32, statShape, n->std.data(), n->std.size() * 4));
  }
  auto status = exportNpz(path, records);
  if (!status) return fromCheckpoint(status.error());
  return okStatus();
}

Expected<Normalization> loadNormalization(const std::string &path) {
  auto archive = importNpz(path);
  if (!archive) return fromCheckpoint(archive.error());
  const TensorSet &set = archive.value();
  auto bad = [&](const std::string &what) {
    return fileError(ErrorCode::Format, path, "not standardization statistics of nnc: " + what);
  };
  const TensorRecord *mode = set.find("mode"), *shape = set.find("image_shape");
  if (!mode || mode->dtype != DType::I64 || !mode->shape.empty()) return bad("no i64 'mode'");
  if (!shape || shape->dtype != DType::I64 || shape->shape != std::vector<int64_t>{3}) return bad("no i64[3] 'image_shape'");
  int64_t m, dims[3];
  std::memcpy(&m, mode->bytes.data(), 8);
  std::memcpy(dims, shape->bytes.data(), sizeof dims);
  if (m == 0) return Normalization{};
  if (m != 1 && m != 2) return bad(fmt::format("mode {}", m));
  Standardizer s;
  s.mode = m == 1 ? StandardizeMode::PerChannel : StandardizeMode::PerPixel;
  s.channels = dims[0];
  s.height = dims[1];
  s.width = dims[2];
  std::vector<int64_t> statShape =
      m == 1 ? std::vector<int64_t>{dims[0]} : std::vector<int64_t>{dims[0], dims[1], dims[2]};
  for (auto [name, out] : {std::pair{"mean", &s.mean}, std::pair{"std", &s.std}}) {
    const TensorRecord *r = set.find(name);
    if (!r || r->dtype != DType::F32 || r->shape != statShape)
      return bad(fmt::format("'{}' is not {}", name, formatSpec(DType::F32, statShape)));
    out->resize(r->bytes.size() / 4);
    std::memcpy(out->data(), r->bytes.data(), r->bytes.size());
  }
  return Normalization{std::move(s)};
}

} // namespace nnc::rt::driver
