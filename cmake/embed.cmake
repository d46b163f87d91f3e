# embed.cmake - turns a file into a C array, so the SQL and the data
# (calendars, regions, reference figures) live in files that can be read
# and run by hand (sqlite3 db < store/schema.sql) and still ship inside
# the binary.
#
#   cmake -DIN=x.sql -DOUT=x.c -DNAME=hl_sql_x -P embed.cmake
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "(char)0x\\1," bytes "${hex}")
file(WRITE "${OUT}" "/* generated from ${IN}; do not edit */\n"
  "extern const char ${NAME}[];\n"
  "const char ${NAME}[] = {${bytes}0x00};\n")
