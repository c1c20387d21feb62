# Install layout and the Debian package (CPack).
#
#   cmake --install build --prefix /usr/local    # binaries, unit, defaults, docs
#   cpack --config build/CPackConfig.cmake       # build/socio_<version>_<arch>.deb
#
# The package installs under /usr: sociod, socio and socio-gen in /usr/bin,
# /usr/lib/systemd/system/sociod.service, /etc/default/sociod (a conffile)
# and the docs in /usr/share/doc/socio. Its maintainer scripts
# (packaging/debian/) create the system user socio and /var/lib/socio, and
# enable and start the service where systemd runs. tests/packaging checks it.
#
# Included last from the top-level CMakeLists.txt, when every target exists.
include(GNUInstallDirs)

install(TARGETS sociod socio socio-gateway RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
# The web console socio-gateway serves (--web_dir /usr/share/socio/web).
install(DIRECTORY "${PROJECT_SOURCE_DIR}/clients/web/" DESTINATION "${CMAKE_INSTALL_DATADIR}/socio/web"
        PATTERN "README.md" EXCLUDE)
# bench/ builds the data generator; guarded in case bench/ is ever left out.
if(TARGET socio-gen)
  install(TARGETS socio-gen RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
endif()

install(FILES "${PROJECT_SOURCE_DIR}/README.md" DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION "${CMAKE_INSTALL_DOCDIR}/docs")

# The unit and the defaults file depend on the prefix chosen at install time.
install(CODE "
  set(SOCIO_PACKAGING_DIR \"${PROJECT_SOURCE_DIR}/packaging\")
  set(SOCIO_STAGING_DIR \"${PROJECT_BINARY_DIR}/packaging\")
  set(SOCIO_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
  set(SOCIO_DOCDIR \"${CMAKE_INSTALL_DOCDIR}\")
  include(\"${PROJECT_SOURCE_DIR}/packaging/install_service.cmake\")
")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME socio)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "Socio developers")
set(CPACK_PACKAGE_CONTACT "Socio developers <socio@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "partner matching and delegation planning for chambers of commerce")
# Debian's extended description: lines under 80 columns (CPack indents them).
set(CPACK_PACKAGE_DESCRIPTION [[
Socio keeps the business profiles of a chamber of commerce's member
companies, ranks potential international partners for a member, and plans
delegation visits: who meets whom, on which day, in which slot.
This package contains the gRPC server sociod (a systemd service), the
command-line client socio and the test data generator socio-gen.]])
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # socio_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The shared libraries come from dpkg-shlibdeps; postinst runs adduser.
# sociod reads at start the countries and languages of unicode-cldr-core and
# the time zones of tzdata (reference/country_catalog.h), and refuses to
# start without them. It reads FreeDict's dictionaries for matching text
# across languages (reference/lexicon.h); it starts without them, but then
# text matches words of one language only. tests/packaging checks that every
# package whose files sociod opens is listed.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "adduser, unicode-cldr-core, tzdata, dict-freedict-spa-eng, dict-freedict-por-eng, \
dict-freedict-deu-eng, dict-freedict-fra-eng, dict-freedict-ita-eng, dict-freedict-eng-spa, \
dict-freedict-eng-por, dict-freedict-eng-fra, dict-freedict-eng-ita")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/packaging/debian/postinst"
    "${PROJECT_SOURCE_DIR}/packaging/debian/prerm"
    "${PROJECT_SOURCE_DIR}/packaging/debian/postrm"
    "${PROJECT_SOURCE_DIR}/packaging/debian/conffiles")
# Maintainer scripts 0755 and the other control files 0644, whatever the
# checkout's modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

# `cpack --config build/CPackSourceConfig.cmake`: the sources without build
# trees or version control.
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/socio-data/" "/compile_commands\\\\.json$")

include(CPack)
