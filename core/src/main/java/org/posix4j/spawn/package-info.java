/// Starting and watching child processes: posix_spawn with chdir, process group, session, fd and
/// signal actions and environment (Netsys_posix.spawn), pidfd-based child handles, one watcher
/// thread for all children, and an adapter to java.lang.Process.
package org.posix4j.spawn;
