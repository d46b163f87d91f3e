# Debian's libcsv-dev ships csv.h and libcsv.so only: no pkg-config file and
# no CMake package, so the imported target is declared here.
find_path(LIBCSV_INCLUDE_DIR csv.h REQUIRED)
find_library(LIBCSV_LIBRARY csv REQUIRED)
add_library(LibCSV::csv UNKNOWN IMPORTED)
set_target_properties(LibCSV::csv PROPERTIES
  IMPORTED_LOCATION "${LIBCSV_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${LIBCSV_INCLUDE_DIR}")
