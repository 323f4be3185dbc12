// The file between nnc_cuda_fixture (here: compiles every op case for CUDA and records
// the interpreter's results) and nnc_cuda_check (on a GPU machine, without LLVM/MLIR:
// runs the compiled cases and compares). Little-endian binary, written and read by the
// same code:
//   "NNCCUDA1" u64 caseCount, then per case: str name, u64 entryCount, per entry:
//   str symbol, u64 argCount, tensors..., u64 resultCount, tensors...
//   tensor: u32 dtype (0 f32, 1 f64, 2 i32, 3 i64, 4 i1), u64 rank, i64 dims...,
//   f64 values (numel of them).
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace nnc_cuda_test {

struct CaseTensor {
  uint32_t dtype = 1;
  std::vector<int64_t> shape;
  std::vector<double> values;
  size_t numel() const {
    size_t n = 1;
    for (int64_t d : shape) n *= size_t(d);
    return n;
  }
  size_t width() const { return dtype == 1 || dtype == 3 ? 8 : dtype == 4 ? 1 : 4; }
};

struct CaseEntry {
  std::string symbol; // nnc_case<i>_predict, ...
  std::vector<CaseTensor> args, results;
};

struct OpCase {
  std::string name;
  std::vector<CaseEntry> entries;
};

constexpr char kMagic[9] = "NNCCUDA1";

class Writer {
public:
  explicit Writer(const std::string &path) : out_(path, std::ios::binary) {
    out_.write(kMagic, 8);
  }
  void u64(uint64_t v) { out_.write(reinterpret_cast<const char *>(&v), 8); }
  void str(const std::string &s) { u64(s.size()), out_.write(s.data(), std::streamsize(s.size())); }
  void tensor(const CaseTensor &t) {
    uint32_t d = t.dtype;
    out_.write(reinterpret_cast<const char *>(&d), 4);
    u64(t.shape.size());
    for (int64_t s : t.shape) u64(uint64_t(s));
    out_.write(reinterpret_cast<const char *>(t.values.data()), std::streamsize(8 * t.values.size()));
  }
  void write(const std::vector<OpCase> &cases) {
    u64(cases.size());
    for (const OpCase &c : cases) {
      str(c.name);
      u64(c.entries.size());
      for (const CaseEntry &e : c.entries) {
        str(e.symbol);
        u64(e.args.size());
        for (const CaseTensor &t : e.args) tensor(t);
        u64(e.results.size());
        for (const CaseTensor &t : e.results) tensor(t);
      }
    }
  }
  bool ok() const { return bool(out_); }

private:
  std::ofstream out_;
};

class Reader {
public:
  explicit Reader(const std::string &path) : in_(path, std::ios::binary) {
    char magic[8] = {};
    in_.read(magic, 8);
    if (!in_ || std::memcmp(magic, kMagic, 8) != 0) throw std::runtime_error(path + ": not an nnc CUDA case file");
  }
  uint64_t u64() {
    uint64_t v = 0;
    in_.read(reinterpret_cast<char *>(&v), 8);
    if (!in_) throw std::runtime_error("case file truncated");
    return v;
  }
  std::string str() {
    std::string s(u64(), '\0');
    in_.read(s.data(), std::streamsize(s.size()));
    return s;
  }
  CaseTensor tensor() {
    CaseTensor t;
    in_.read(reinterpret_cast<char *>(&t.dtype), 4);
    t.shape.resize(u64());
    for (int64_t &s : t.shape) s = int64_t(u64());
    t.values.resize(t.numel());
    in_.read(reinterpret_cast<char *>(t.values.data()), std::streamsize(8 * t.values.size()));
    if (!in_) throw std::runtime_error("case file truncated");
    return t;
  }
  std::vector<OpCase> read() {
    std::vector<OpCase> cases(u64());
    for (OpCase &c : cases) {
      c.name = str();
      c.entries.resize(u64());
      for (CaseEntry &e : c.entries) {
        e.symbol = str();
        e.args.resize(u64());
        for (CaseTensor &t : e.args) t = tensor();
        e.results.resize(u64());
        for (CaseTensor &t : e.results) t = tensor();
      }
    }
    return cases;
  }

private:
  std::ifstream in_;
};

} // namespace nnc_cuda_test
