/// The system as this process sees it: uname, sysconf limits, malloc statistics, and the user and
/// group databases.
package org.posix4j.system;
