package org.posix4j.system;

/// The kernel and machine identification uname(2) reports.
///
/// @param sysname the kernel name, "Linux"
/// @param nodename the host name in this UTS namespace
/// @param release the kernel release, as `uname -r`
/// @param version the kernel build version, as `uname -v`
/// @param machine the hardware name, as `uname -m` ("x86_64", "aarch64")
/// @param domainname the NIS domain name, "(none)" when unset
public record Uname(String sysname, String nodename, String release, String version, String machine,
        String domainname) {}
