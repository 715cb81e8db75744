/// The calling process: ids and credentials, process groups and sessions, umask, resource
/// limits, the native environment, I/O priorities, and abort.
///
/// Everything here changes or reads state of the whole process. Calls that change credentials
/// go through glibc's wrappers, which apply the change to every thread of the JVM.
package org.posix4j.process;
