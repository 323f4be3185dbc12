/* The contract between code that `nnc compile` generates and the runtime that calls it.
 *
 * A compiled model object defines one `nnc_compiled_model` constant (named
 * `nnc_model_<name>`, and also `nnc_main_model` in a training binary): the model's
 * artifact bytes (schemas/artifact.fbs) and one function per entry point.
 *
 * Calling convention of every entry function: `fn(args)` where `args` holds one pointer per
 * tensor, in this order:
 *   1. every state tensor of the artifact (Model.state order), whether the entry uses it
 *      or not; the train step updates parameters and optimizer state in place;
 *   2. the entry point's arguments (EntryPoint.arguments order);
 *   3. the entry point's results (EntryPoint.results order), written by the function;
 *   4. when the artifact has a memory plan (Model.memory_plan.arena_bytes > 0), the arena:
 *      that many bytes, aligned to 64, where the function keeps its intermediates. Its
 *      contents need not survive between calls; calls that may run at the same time need
 *      distinct arenas (the runtime keeps one per session).
 * Each pointer addresses the tensor's elements, dense and row-major, aligned to 64 bytes
 * (16 is required); a rank-0 tensor is one element. i1 is stored as one byte (0 or 1).
 * Buffers must not overlap, except that state tensors are read and written in place.
 * Beyond the arena the function allocates nothing of its own (the matrix kernels keep
 * per-thread packing buffers); it is not re-entrant on the same state but distinct states
 * (with distinct arenas) may run concurrently.
 */
#ifndef NNC_COMPILED_MODEL_H
#define NNC_COMPILED_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NNC_COMPILED_MODEL_ABI 1

typedef void (*nnc_entry_fn)(void *const *args);

typedef struct nnc_entry_symbol {
  const char *name; /* EntryPoint.name: train_step, forward, predict, input_gradient */
  nnc_entry_fn fn;
} nnc_entry_symbol;

typedef struct nnc_compiled_model {
  uint32_t abi_version; /* NNC_COMPILED_MODEL_ABI */
  const uint8_t *artifact;
  uint64_t artifact_size;
  const nnc_entry_symbol *entries;
  uint64_t entry_count;
} nnc_compiled_model;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NNC_COMPILED_MODEL_H */
