# Installing and packaging (included by the top-level CMakeLists.txt):
#   cmake --install build [--prefix DIR]    the programs, the icon in the hicolor theme, the .desktop file, the
#                                           docs, the bundled MNIST and the Python package
#   cpack -G DEB (in build/), or the `package` target    build/latentlab_<version>_<arch>.deb
# The .deb's dependencies: dpkg-shlibdeps reads them off the programs (Qt 6 Core, GUI and Widgets, QCustomPlot,
# HDF5 and its C++ API, zlib, libgomp, the C++ runtime). Qt's X11 platform plugin comes with libqt6gui6 on Debian
# 12; its Wayland plugin (qt6-wayland) is recommended, as are the product libraries the engine opens at run time
# (BLIS and OpenBLAS, engine/core/BlasLibrary.h): neither is linked, so shlibdeps cannot see them.
# A build with LATENTLAB_NATIVE (the default) runs only on CPUs like the building one: for a package meant for
# other machines, configure with -DLATENTLAB_ARCH=x86-64-v3 (AVX2) or -DLATENTLAB_NATIVE=OFF.
include(GNUInstallDirs)

set(LATENTLAB_DOC_DIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/latentlab)
set(LATENTLAB_DATA_DIR ${CMAKE_INSTALL_DATADIR}/latentlab)
option(LATENTLAB_INSTALL_MNIST "Install the bundled MNIST (11 MB), so that the installed workbench can train at once" ON)
set(LATENTLAB_PYTHON_DIR "lib/python3/dist-packages" CACHE STRING
    "Where the Python package latentlab_torch is installed, relative to the prefix (Debian's system path under /usr)")

install(TARGETS latentlab-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET latentlab)
  install(TARGETS latentlab RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  foreach(size 16 32 48 64 128 256 512)
    install(FILES ${CMAKE_CURRENT_LIST_DIR}/icons/latentlab-${size}.png
            DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/${size}x${size}/apps RENAME latentlab.png)
  endforeach()
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/icons/latentlab.svg
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/scalable/apps)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/latentlab.desktop DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/applications)
endif()

# The README with the pictures it shows (docs/), the format and input documents, the Python package's README.
file(GLOB _latentlab_docs ${PROJECT_SOURCE_DIR}/docs/*.md ${PROJECT_SOURCE_DIR}/docs/*.png)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${CMAKE_CURRENT_LIST_DIR}/copyright DESTINATION ${LATENTLAB_DOC_DIR})
install(FILES ${_latentlab_docs} DESTINATION ${LATENTLAB_DOC_DIR}/docs)
install(FILES ${PROJECT_SOURCE_DIR}/python/README.md DESTINATION ${LATENTLAB_DOC_DIR}/python)
if(LATENTLAB_INSTALL_MNIST)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/datasets/mnist DESTINATION ${LATENTLAB_DATA_DIR}/datasets)
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/python/latentlab_torch DESTINATION ${LATENTLAB_PYTHON_DIR}
        PATTERN __pycache__ EXCLUDE)

set(CPACK_PACKAGE_NAME latentlab)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Latentlab")
set(CPACK_PACKAGE_CONTACT "Latentlab developers <latentlab@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "workbench for semi-supervised variational autoencoders")
set(CPACK_PACKAGE_DESCRIPTION "\
Latentlab trains semi-supervised variational autoencoders (dense, convolutional and recurrent) on data with
few labels and shows their latent space: a live training dashboard, interactive labelling ranked by
uncertainty, PCA and t-SNE projections, generation by class and style. latentlab-cli trains and evaluates
headless and exports embeddings for TensorBoard's Embedding Projector. The Python package latentlab_torch
moves a model to PyTorch and back. The bundled MNIST is installed under /usr/share/latentlab.")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # latentlab_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "libblis4-openmp | libblis4-pthread, libopenblas0-openmp | libopenblas0-pthread, qt6-wayland")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "dataset-fashion-mnist, python3-numpy, python3-h5py, python3-torch")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
