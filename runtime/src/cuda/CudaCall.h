// Calling a compiled CUDA entry point from host buffers, and device-visible memory for
// the runtime's state tensors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" {
// What the exported entry wrapper of a --target=cuda object calls (compiler/lowering/
// cpu/lib/EmitObject.cpp): `device(args')` where args' has, for each of the `count`
// buffers, the pointer itself when the GPU can address it (managed or device memory)
// and otherwise a device copy of its `bytes[i]` bytes; copies of buffers the entry
// writes (`written[i]`: state and results) are copied back. Returns when the GPU is done.
void nnc_cuda_call(void (*device)(void *const *), void *const *args, uint64_t count, const uint64_t *bytes,
                   const uint8_t *written);
}

namespace nnc::rt::cuda {

// Whether CUDA can run here; `why` says why not.
bool available(std::string *why);
// The GPU's name ("NVIDIA H200"), or empty.
std::string deviceName();

// Managed memory (addressed by host and GPU alike) of `bytes` bytes, or null with `why`.
void *allocateManaged(size_t bytes, std::string *why);
void freeManaged(void *p);

} // namespace nnc::rt::cuda
