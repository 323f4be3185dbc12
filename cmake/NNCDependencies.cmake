# Finds every dependency from Debian's packages (scripts/setup-deps.sh installs them).
# Link mode: the whole project links the shared libMLIR.so and libLLVM.so (fast links,
# one copy of each); nothing links the static libMLIR*.a.
set(MLIR_DIR /usr/lib/llvm-19/lib/cmake/mlir CACHE PATH "MLIR's CMake package")
find_package(MLIR REQUIRED CONFIG)
message(STATUS "nnc: MLIR ${LLVM_PACKAGE_VERSION} from ${MLIR_DIR}")

list(APPEND CMAKE_MODULE_PATH ${MLIR_CMAKE_DIR} ${LLVM_CMAKE_DIR})
include(TableGen)
include(AddLLVM)
include(AddMLIR)

# LLVM/MLIR headers are SYSTEM includes: their C++20 warnings are not ours.
include_directories(SYSTEM ${LLVM_INCLUDE_DIRS} ${MLIR_INCLUDE_DIRS})
separate_arguments(NNC_LLVM_DEFINITIONS NATIVE_COMMAND ${LLVM_DEFINITIONS})
add_definitions(${NNC_LLVM_DEFINITIONS})

find_package(Python3 REQUIRED COMPONENTS Interpreter)
find_package(CLI11 REQUIRED CONFIG)
find_package(fmt REQUIRED CONFIG)
find_package(FlatBuffers REQUIRED CONFIG)
find_package(ZLIB REQUIRED)
find_package(PNG REQUIRED) # libpng-dev: training binaries write PNG pictures
find_package(GTest REQUIRED CONFIG)
if(NNC_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED CONFIG)
endif()

# CUDA is optional: the CPU path never needs it.
if(EXISTS /usr/local/cuda/bin/nvcc)
  set(CUDAToolkit_ROOT /usr/local/cuda)
  find_package(CUDAToolkit QUIET)
endif()
set(NNC_HAVE_CUDA ${CUDAToolkit_FOUND})
message(STATUS "nnc: CUDA toolkit found: ${NNC_HAVE_CUDA}")

set(NNC_LIT ${LLVM_TOOLS_BINARY_DIR}/../build/utils/lit/lit.py)
if(NOT EXISTS ${NNC_LIT})
  set(NNC_LIT /usr/lib/llvm-19/build/utils/lit/lit.py)
endif()
