# Project-wide compiler flags: warnings for our code, sanitizers and fuzzing on request.
add_compile_options(-Wall -Wextra -Wno-unused-parameter)

if(NNC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# Helper: an nnc library target linked against the shared MLIR/LLVM libraries.
function(nnc_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS;LINK" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
  target_link_libraries(${name} PUBLIC ${ARG_LINK})
endfunction()

# Helper: nnc_merge_archives(<target> <output.a> <static library target>...) merges the
# objects of the libraries into one archive <output.a> (an `ar -M` script), built by the
# custom target <target> (part of ALL), so a program links one archive instead of a chain
# of libraries. Used for libnnc_runtime_bundle.a (runtime/CMakeLists.txt).
function(nnc_merge_archives target output)
  get_filename_component(output_dir ${output} DIRECTORY)
  get_filename_component(output_name ${output} NAME)
  list(JOIN ARGN ", " parts)
  set(script "create ${output}\n")
  foreach(part IN LISTS ARGN)
    string(APPEND script "addlib $<TARGET_FILE:${part}>\n")
  endforeach()
  string(APPEND script "save\nend\n")
  set(script_file ${CMAKE_CURRENT_BINARY_DIR}/${target}.mri)
  file(GENERATE OUTPUT ${script_file} CONTENT "${script}")
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${output_dir}
    COMMAND ${CMAKE_COMMAND} -E rm -f ${output}
    COMMAND ${CMAKE_AR} -M < ${script_file}
    DEPENDS ${ARGN} ${script_file}
    COMMENT "Merging ${parts} into ${output_name}"
    VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${output})
endfunction()
