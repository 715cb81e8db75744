/// The `posix4j` command: the library's facilities from the shell, one subcommand per topic.
///
/// Run it through the `./posix4j` launcher at the top of the repository, which puts this module
/// and its dependencies on the module path and grants `--enable-native-access=org.posix4j`, so
/// that no warning reaches the user.
module org.posix4j.cli {
    requires org.posix4j;
    requires info.picocli;

    // picocli creates the commands and injects their options by reflection.
    opens org.posix4j.cli.command to info.picocli;
}
