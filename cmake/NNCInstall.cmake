# Installation (`cmake --install build/default --prefix /opt/nnc`):
#   bin/nnc, bin/nnc-inspect           the compiler and the inspector
#   include/nnc/*.h                    the runtime's C API and the compiled-model contract
#   lib/libnnc_runtime_bundle.a        the runtime for apps that embed a model (nnc::runtime)
#   lib/libnnc_train_bundle.a          the training driver + runtime (`nnc compile -o model`)
#   lib/nnc/link-flags.txt             how an installed `nnc compile -o model` links
#   lib/cmake/nnc/nncConfig.cmake      find_package(nnc): nnc::nnc, nnc::runtime, nnc_add_model
#   lib/cmake/nnc/nncConfigVersion.cmake
#   lib/pkgconfig/nnc.pc               the runtime's flags for other build systems
# nnc looks for link-flags.txt at <dir of nnc>/../lib/nnc, so bin/ and lib/nnc/ are fixed;
# the archives, the package and nnc.pc follow CMAKE_INSTALL_LIBDIR.
#
# One link description: the build tree's lib/nnc/link-flags.txt (written by
# runtime/src/driver/CMakeLists.txt: the C++ compiler, the training bundle, then the
# system libraries and flags). At install time it is copied with the installed bundle's
# path (the prefix is only known then: `--prefix` and DESTDIR are honoured), and its
# system libraries become nnc.pc's; nncConfig.cmake reads them from the installed copy for
# nnc::runtime. A library added there reaches training binaries and apps alike.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(NNC_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/nnc)

# The tools link the shared libMLIR/libLLVM of /usr/lib/llvm-19, outside the system's
# library path: keep those directories in the installed binaries' RUNPATH.
set_target_properties(nnc nnc-inspect PROPERTIES INSTALL_RPATH_USE_LINK_PATH TRUE)
install(TARGETS nnc nnc-inspect RUNTIME DESTINATION bin)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/nnc DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(FILES ${NNC_RUNTIME_BUNDLE} ${NNC_TRAIN_BUNDLE} DESTINATION ${CMAKE_INSTALL_LIBDIR})

# link-flags.txt and nnc.pc, written at install time.
configure_file(${PROJECT_SOURCE_DIR}/cmake/NNCInstallLinkFlags.cmake.in
               ${PROJECT_BINARY_DIR}/cmake/NNCInstallLinkFlags.cmake @ONLY)
install(SCRIPT ${PROJECT_BINARY_DIR}/cmake/NNCInstallLinkFlags.cmake)

# The CMake package (relocatable: it finds the prefix from its own path).
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/nncConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/nncConfig.cmake
  INSTALL_DESTINATION ${NNC_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/nncConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/nncConfig.cmake ${PROJECT_BINARY_DIR}/cmake/nncConfigVersion.cmake
        DESTINATION ${NNC_INSTALL_CMAKEDIR})
