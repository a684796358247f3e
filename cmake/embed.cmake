# Writes OUT: a C++ file holding the reference data files as byte arrays.
set(files regions/gbt2260.csv regions/centres.csv
  gb18218-2018/table1_named_substances.csv gb18218-2018/table2_categories.csv
  gb18218-2018/table3_beta_toxic_gases.csv gb18218-2018/table5_alpha.csv gb18218-2018/table6_grades.csv
  gb18218-2018/table1_beta_categories.csv gb18218-2018/common_names.csv gb18218-2018/table1_qualified.csv
  risk-model/enterprise-risk.json coal/methane-thresholds.csv monitoring/occupational-exposure-limits.csv
  checklists/hazchem-major-hidden-dangers-2017.csv checklists/coal-major-hidden-dangers-2020.csv
  checklists/coal-major-hidden-dangers-2020-items.csv checklists/gongmao-major-hidden-dangers-2023.csv
  calendar/cn-holidays.csv accident/gb6441-kinds.csv)
# Every checklist template (data/checklists/templates/*.csv, listed by its index.csv).
file(GLOB templates RELATIVE ${SRC_DIR} ${SRC_DIR}/checklists/templates/*.csv)
list(SORT templates)
list(APPEND files ${templates})
set(body "#include <string_view>\n#include \"base/embedded.h\"\nnamespace anjian::embedded {\n")
set(lookup "std::string_view file(std::string_view name) {\n")
set(i 0)
foreach(f ${files})
  file(READ ${SRC_DIR}/${f} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(APPEND body "static const unsigned char d${i}[] = {${hex}};\n")
  string(APPEND lookup "  if (name == \"${f}\") return {reinterpret_cast<const char*>(d${i}), sizeof d${i}};\n")
  math(EXPR i "${i}+1")
endforeach()
string(APPEND lookup "  return {};\n}\n")
file(WRITE ${OUT} "${body}${lookup}}  // namespace anjian::embedded\n")
