# Install-time rule for sociod.service and its defaults file, run by
# `cmake --install` and by CPack (see cmake/SocioPackaging.cmake). It reads
# the prefix when installing, not when configuring, because CPack installs
# the same build tree under /usr that a developer installs under /usr/local:
#
#   prefix /usr (the .deb):  /usr/lib/systemd/system/sociod.service, /etc/default/sociod
#   prefix /usr/local:       /usr/local/lib/systemd/system/sociod.service,
#                            /usr/local/etc/default/sociod
#
# The unit names the binary, the defaults file and the docs by absolute path,
# as written for /usr; for any other prefix those paths are rewritten so the
# installed unit runs the installed binary.
#
# Expects SOCIO_PACKAGING_DIR, SOCIO_STAGING_DIR, SOCIO_BINDIR and
# SOCIO_DOCDIR (the last two as GNUInstallDirs gives them).

function(socio_full_path out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  else()
    set(${out} "${CMAKE_INSTALL_PREFIX}/${dir}" PARENT_SCOPE)
  endif()
endfunction()

# GNUInstallDirs' rule: a /usr install keeps its configuration in /etc.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr" OR CMAKE_INSTALL_PREFIX STREQUAL "/")
  set(socio_sysconfdir "/etc")
else()
  set(socio_sysconfdir "${CMAKE_INSTALL_PREFIX}/etc")
endif()
socio_full_path(socio_bindir "${SOCIO_BINDIR}")
socio_full_path(socio_docdir "${SOCIO_DOCDIR}")

file(READ "${SOCIO_PACKAGING_DIR}/sociod.service" socio_unit)
string(REPLACE "/usr/bin/sociod" "${socio_bindir}/sociod" socio_unit "${socio_unit}")
string(REPLACE "/etc/default/sociod" "${socio_sysconfdir}/default/sociod" socio_unit "${socio_unit}")
string(REPLACE "/usr/share/doc/socio" "${socio_docdir}" socio_unit "${socio_unit}")
file(WRITE "${SOCIO_STAGING_DIR}/sociod.service" "${socio_unit}")

file(INSTALL "${SOCIO_STAGING_DIR}/sociod.service"
     DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
file(INSTALL "${SOCIO_PACKAGING_DIR}/sociod.default"
     DESTINATION "${socio_sysconfdir}/default" RENAME sociod)
