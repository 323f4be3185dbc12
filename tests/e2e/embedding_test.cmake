# The embedding_install test (tests/e2e/CMakeLists.txt), run with cmake -P. Every step
# prints what it runs; a failure stops with the command's output.
cmake_minimum_required(VERSION 3.25)
foreach(var NNC_SOURCE_DIR NNC_BUILD_DIR WORK_DIR DATA_DIR GENERATOR C_COMPILER CXX_COMPILER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "embedding_install: -D${var}=... is required")
  endif()
endforeach()
unset(ENV{NNC_LINK_FLAGS}) # the installed nnc must find its own link-flags.txt
set(prefix ${WORK_DIR}/prefix)

# run(<name> <expected exit status> COMMAND ...): runs the command, stores its output in
# <name>_out and <name>_err, fails unless it exits with the expected status.
function(run name expected)
  list(POP_FRONT ARGN)  # COMMAND
  list(JOIN ARGN " " shown)
  message(STATUS "embedding_install: ${shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT "${rc}" STREQUAL "${expected}")
    message(FATAL_ERROR "embedding_install: exit status ${rc}, expected ${expected}: ${shown}\n"
                        "--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  set(${name}_out "${out}" PARENT_SCOPE)
  set(${name}_err "${err}" PARENT_SCOPE)
endfunction()

# expect_match(<what> <regex> <text>): fails unless the text matches; the groups go to
# CMAKE_MATCH_1... of the caller.
function(expect_match name regex text)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "embedding_install: ${name}: no match for '${regex}' in:\n${text}")
  endif()
  foreach(i 1 2 3)
    set(CMAKE_MATCH_${i} "${CMAKE_MATCH_${i}}" PARENT_SCOPE)
  endforeach()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# 1. Install into the temporary prefix and check the layout.
run(install 0 COMMAND ${CMAKE_COMMAND} --install ${NNC_BUILD_DIR} --prefix ${prefix})
foreach(file bin/nnc bin/nnc-inspect include/nnc/nnc.h include/nnc/compiled_model.h
             lib/libnnc_runtime_bundle.a lib/libnnc_train_bundle.a lib/nnc/link-flags.txt
             lib/cmake/nnc/nncConfig.cmake lib/cmake/nnc/nncConfigVersion.cmake lib/pkgconfig/nnc.pc)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "embedding_install: ${prefix}/${file} was not installed")
  endif()
endforeach()
file(READ ${prefix}/lib/nnc/link-flags.txt link_flags)
expect_match("link-flags.txt" "\n${prefix}/lib/libnnc_train_bundle.a\n" "${link_flags}")
run(version 0 COMMAND ${prefix}/bin/nnc --version)

# 2. The example against the installed package (find_package(nnc), nnc_add_model).
run(configure 0 COMMAND ${CMAKE_COMMAND} -S ${NNC_SOURCE_DIR}/examples/classify -B ${WORK_DIR}/classify
    -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
run(build 0 COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/classify)
set(classify ${WORK_DIR}/classify/classify)

# 3. The same by hand, as README.md shows: nnc compile --emit=lib, ar, cc with nnc.pc.
file(MAKE_DIRECTORY ${WORK_DIR}/manual)
run(lib 0 COMMAND ${prefix}/bin/nnc compile --emit=lib ${NNC_SOURCE_DIR}/models/logistic.graph
    -o ${WORK_DIR}/manual/logistic)
run(ar 0 COMMAND ar rcs ${WORK_DIR}/manual/liblogistic.a ${WORK_DIR}/manual/logistic.o)
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
run(pc 0 COMMAND pkg-config --cflags --libs nnc)
string(STRIP "${pc_out}" pc_flags)
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
run(cc 0 COMMAND ${C_COMPILER} -std=c11 -O2 "-DCLASSIFY_MODEL_HEADER=\"logistic.h\""
    -DCLASSIFY_MODEL_SYMBOL=nnc_model_logistic -I${WORK_DIR}/manual
    ${NNC_SOURCE_DIR}/examples/classify/classify.c ${WORK_DIR}/manual/liblogistic.a ${pc_flags} -lz
    -o ${WORK_DIR}/manual/classify)

# 4. Errors that need no data: usage (2) and a missing data folder (1).
run(usage 2 COMMAND ${classify} --count zero)
expect_match("usage error" "classify: error: --count zero" "${usage_err}")
run(nodata 1 COMMAND ${classify} --data ${WORK_DIR}/no-such-folder)
expect_match("missing data" "classify: error: cannot open" "${nodata_err}")

if(NOT EXISTS ${DATA_DIR}/t10k-images-idx3-ubyte.gz AND NOT EXISTS ${DATA_DIR}/t10k-images-idx3-ubyte)
  message("embedding_install: SKIPPED the runs on Fashion-MNIST: ${DATA_DIR} has no IDX files")
  return()
endif()

# 5. A checkpoint from a training binary linked by the installed nnc: one epoch.
run(exe 0 COMMAND ${prefix}/bin/nnc compile ${NNC_SOURCE_DIR}/models/logistic.graph -o ${WORK_DIR}/logistic)
run(train 0 COMMAND ${WORK_DIR}/logistic train --data ${DATA_DIR} --epochs 1 --quiet
    --checkpoint-dir ${WORK_DIR}/run)
message(STATUS "embedding_install: ${train_out}")

# 6. classify: 1000 test images from the checkpoint, 20 train steps, a new checkpoint.
run(classify 0 COMMAND ${classify} --checkpoint ${WORK_DIR}/run/last.nnck --data ${DATA_DIR}
    --count 1000 --train-steps 20 --output ${WORK_DIR}/continued.nnck)
expect_match("classify" "checkpoint [^\n]*: step ([0-9]+), epoch 1\n" "${classify_out}")
set(start_step ${CMAKE_MATCH_1})
expect_match("classify" "test image 999: " "${classify_out}")
expect_match("classify" "accuracy: ([0-9.]+) \\(([0-9]+) of 1000 test images\\)" "${classify_out}")
set(accuracy ${CMAKE_MATCH_1})
message(STATUS "embedding_install: classify accuracy ${accuracy} (logistic, 1 epoch)")
if(accuracy LESS_EQUAL 0.7)
  message(FATAL_ERROR "embedding_install: accuracy ${accuracy} <= 0.7:\n${classify_out}")
endif()
math(EXPR end_step "${start_step} + 20")
expect_match("classify" "train step ${end_step}: loss [0-9.]+ accuracy [0-9.]+\n" "${classify_out}")
expect_match("classify" "saved [^\n]*continued.nnck \\(step ${end_step}\\)" "${classify_out}")
run(inspect 0 COMMAND ${prefix}/bin/nnc-inspect ${WORK_DIR}/continued.nnck)
expect_match("nnc-inspect" "checkpoint: logistic step ${end_step} epoch 1" "${inspect_out}")

# The hand-built binary gives the same predictions (no training, nothing saved).
run(manual 0 COMMAND ${WORK_DIR}/manual/classify --checkpoint ${WORK_DIR}/run/last.nnck --data ${DATA_DIR}
    --count 1000 --train-steps 0)
expect_match("hand-built classify" "accuracy: ${accuracy} " "${manual_out}")

# 7. From the seed (no checkpoint); errors with data: a missing or foreign checkpoint.
run(seed 0 COMMAND ${classify} --data ${DATA_DIR} --count 64 --train-steps 1 --output ${WORK_DIR}/seed.nnck)
expect_match("from the seed" "no checkpoint: the initial weights of seed 0\n" "${seed_out}")
run(missing 1 COMMAND ${classify} --checkpoint ${WORK_DIR}/none.nnck --data ${DATA_DIR})
expect_match("missing checkpoint" "classify: error: [^\n]*none.nnck" "${missing_err}")
file(WRITE ${WORK_DIR}/garbage.nnck "not a checkpoint")
run(garbage 1 COMMAND ${classify} --checkpoint ${WORK_DIR}/garbage.nnck --data ${DATA_DIR})
expect_match("corrupt checkpoint" "classify: error: [^\n]*garbage.nnck" "${garbage_err}")
message(STATUS "embedding_install: passed")
