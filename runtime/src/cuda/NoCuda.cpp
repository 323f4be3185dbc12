// The runtime built without the CUDA toolkit's headers: models compiled with
// --target=cuda are refused with this explanation.
#include "cuda/CudaCall.h"

#include <cstdio>
#include <cstdlib>

namespace nnc::rt::cuda {

namespace {
constexpr const char *kWhy = "this nnc runtime was built without the CUDA toolkit";
}

bool available(std::string *why) {
  if (why) *why = kWhy;
  return false;
}
std::string deviceName() { return ""; }
void *allocateManaged(size_t, std::string *why) {
  if (why) *why = kWhy;
  return nullptr;
}
void freeManaged(void *) {}

} // namespace nnc::rt::cuda

extern "C" void nnc_cuda_call(void (*)(void *const *), void *const *, uint64_t, const uint64_t *, const uint8_t *) {
  std::fprintf(stderr, "nnc: this model was compiled for CUDA, but %s\n", nnc::rt::cuda::kWhy);
  std::_Exit(70);
}

extern "C" void nnc_cuda_gemm_f32(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t) {
  nnc_cuda_call(nullptr, nullptr, 0, nullptr, nullptr);
}
extern "C" void nnc_cuda_gemm_f64(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t) {
  nnc_cuda_call(nullptr, nullptr, 0, nullptr, nullptr);
}
#define NNC_NO_CUDA_CONV(name)                                                                                \
  extern "C" void name(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,      \
                       int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t) {              \
    nnc_cuda_call(nullptr, nullptr, 0, nullptr, nullptr);                                                     \
  }
NNC_NO_CUDA_CONV(nnc_cuda_conv_forward_f32)
NNC_NO_CUDA_CONV(nnc_cuda_conv_forward_f64)
NNC_NO_CUDA_CONV(nnc_cuda_conv_backward_data_f32)
NNC_NO_CUDA_CONV(nnc_cuda_conv_backward_data_f64)
NNC_NO_CUDA_CONV(nnc_cuda_conv_backward_filter_f32)
NNC_NO_CUDA_CONV(nnc_cuda_conv_backward_filter_f64)
