# verify_plant.cmake - generate a --plant analyses data set and check its
# "planted" truth with the independent checker tests/tools/verify_plant.py.
#
#   cmake -DEXE=hotline -DPY=python3 -DTOOL=verify_plant.py -DWORK_DIR=dir
#         -DGEN="--seed;1;..." [-DSAMPLE_TOOL=verify_sample.py]
#         [-DMUTATE=1] -P verify_plant.cmake
#
# With SAMPLE_TOOL, the data set is also checked by verify_sample.py
# --faults (the default figures, the rows and the faults) first.
# With MUTATE=1 one planted count of the manifest is changed first and the
# checker must fail on it.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(COMMAND ${EXE} sample -q --out ${WORK_DIR}/data
  --plant analyses ${GEN}
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "hotline sample --plant analyses ${GEN} failed (${rc}):\n${err}")
endif()
if(SAMPLE_TOOL AND NOT MUTATE)
  execute_process(COMMAND ${PY} ${SAMPLE_TOOL} ${WORK_DIR}/data --faults --quiet
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "verify_sample.py found mismatches (${rc})")
  endif()
endif()
if(MUTATE)
  file(READ "${WORK_DIR}/data/manifest.json" m)
  string(REGEX REPLACE "\"by_caller\": ([1-9][0-9]*)" "\"by_caller\": 9\\1" m2 "${m}")
  if(m2 STREQUAL m)
    message(FATAL_ERROR "nothing to mutate in the manifest")
  endif()
  file(WRITE "${WORK_DIR}/data/manifest.json" "${m2}")
endif()
execute_process(COMMAND ${PY} ${TOOL} ${WORK_DIR}/data --no-unplanted
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(MUTATE)
  if(NOT rc EQUAL 1 OR NOT out MATCHES "repeats: ")
    message(FATAL_ERROR "the checker did not catch a changed count (${rc})")
  endif()
elseif(NOT rc EQUAL 0)
  message(FATAL_ERROR "verify_plant.py found mismatches (${rc})")
endif()
