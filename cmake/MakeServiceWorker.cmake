# Writes SITE_DIR/sw.js from SW_TEMPLATE, with @BUILD_ID@ = a hash of every cached file.
set(files index.html store-load.js onestop.js onestop.wasm onestop-sc.ttf manifest.webmanifest icon.svg
    icon-192.png icon-512.png)
set(all "")
foreach(f IN LISTS files)
  file(SHA256 ${SITE_DIR}/${f} h)
  string(APPEND all "${h}")
endforeach()
string(SHA256 id "${all}")
string(SUBSTRING "${id}" 0 16 BUILD_ID)
configure_file(${SW_TEMPLATE} ${SITE_DIR}/sw.js @ONLY)
