# verify_sample.cmake - generate a data set and check it with the
# independent checker tests/tools/verify_sample.py.
#
#   cmake -DEXE=hotline -DPY=python3 -DTOOL=verify_sample.py -DWORK_DIR=dir
#         -DGEN="--seed;1;..." [-DYEARLY="..."] -DVERIFY="--targets;..."
#         -P verify_sample.cmake
#
# With YEARLY, a second data set is generated from those options and
# passed as --nightly-vs (GEN then makes the nightly one).  With MINI=dir,
# no data is generated: dir (a hand-made set) is checked as it is; with
# MUTATE=1 one figure of its manifest is changed first and the checker
# must fail.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

if(MINI)
  file(COPY "${MINI}/" DESTINATION "${WORK_DIR}/data")
  if(MUTATE)
    file(READ "${WORK_DIR}/data/manifest.json" m)
    string(REGEX REPLACE "\"on_time\": ([0-9]+)" "\"on_time\": 9\\1" m2 "${m}")
    if(m2 STREQUAL m)
      message(FATAL_ERROR "nothing to mutate in the mini manifest")
    endif()
    file(WRITE "${WORK_DIR}/data/manifest.json" "${m2}")
  endif()
else()
  execute_process(COMMAND ${EXE} sample -q --out ${WORK_DIR}/data ${GEN}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "hotline sample ${GEN} failed (${rc}):\n${err}")
  endif()
  if(YEARLY)
    execute_process(COMMAND ${EXE} sample -q --out ${WORK_DIR}/yearly ${YEARLY}
      RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "hotline sample ${YEARLY} failed (${rc}):\n${err}")
    endif()
    list(APPEND VERIFY --nightly-vs ${WORK_DIR}/yearly)
  endif()
endif()

execute_process(COMMAND ${PY} ${TOOL} ${WORK_DIR}/data ${VERIFY}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(MUTATE)
  if(NOT rc EQUAL 1 OR NOT out MATCHES "on_time: manifest 9")
    message(FATAL_ERROR "the checker did not catch a changed figure (${rc})")
  endif()
elseif(NOT rc EQUAL 0)
  message(FATAL_ERROR "verify_sample.py found mismatches (${rc})")
endif()
