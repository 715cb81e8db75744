package org.posix4j.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.testing.NoFdLeaks;

/// What needs no journald: field names rejected before any I/O, and a journal that is not there.
@ExtendWith(NoFdLeaks.class)
class JournalEntryTest {
    @Test
    void invalidFieldNamesAreRejectedWithTheirNameAndTheReason() {
        Map<String, String> reasons = Map.of(
                "lower", "character 'l' at index 0 is not allowed (only A-Z, 0-9 and _)",
                "MY-FIELD", "character '-' at index 2 is not allowed (only A-Z, 0-9 and _)",
                "_PID", "must not start with _, which marks the fields journald adds itself",
                "1ST", "must not start with a digit",
                "", "must not be empty",
                "A".repeat(65), "is 65 characters, more than 64",
                "ÄRGER", "character 'Ä' at index 0 is not allowed (only A-Z, 0-9 and _)",
                "NEW\nLINE", "character '\\x0a' at index 3 is not allowed (only A-Z, 0-9 and _)");
        reasons.forEach((name, reason) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new JournalEntry().field(name, "value"), name);
            assertEquals("field name \"" + name.replace("\n", "\\x0a") + "\": " + reason, e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new JournalEntry().field(name, new byte[0]), name);
            assertFalse(JournalEntry.isValidFieldName(name), name);
        });
        assertEquals("field name is null",
                assertThrows(IllegalArgumentException.class, () -> new JournalEntry().field(null, "v")).getMessage());
    }

    @Test
    void validFieldNamesAreAccepted() {
        for (String name : new String[] {"A", "MY_FIELD", "FIELD_2", "X".repeat(64), "MESSAGE_ID"}) {
            assertTrue(JournalEntry.isValidFieldName(name), name);
            new JournalEntry().field(name, "v");
        }
    }

    @Test
    void fieldNameForGivesValidNames() {
        Map<String, String> expected = Map.of("user.id", "USER_ID", "requestId", "REQUESTID", "_internal",
                "X_INTERNAL", "1st", "X1ST", "", "X", "Ärger-Ü", "X_RGER__", "MY_FIELD",
                "MY_FIELD", "k".repeat(70), "K".repeat(64));
        expected.forEach((key, name) -> {
            assertEquals(name, JournalEntry.fieldNameFor(key), key);
            assertTrue(JournalEntry.isValidFieldName(name), name);
        });
    }

    /// As sd_journal_send: no journal is no error, the entry is dropped (sendmsg(2) said ENOENT).
    @Test
    void aMissingSocketAnswersFalse() throws PosixException {
        try (Journal journal = Journal.open("/nonexistent-" + ProcessHandle.current().pid() + "/socket")) {
            assertFalse(journal.send(JournalEntry.of("nobody listens")));
        }
    }

    /// A socket file nobody is bound to any more: sendmsg(2) says ECONNREFUSED, which is an error
    /// (sd_journal_send too returns it).
    @Test
    void aSocketNobodyListensOnIsAnError() throws Exception {
        Path path = Path.of("/tmp/posix4j-journal-" + ProcessHandle.current().pid() + ".socket");
        try {
            // Bound by a process that then exits, so that this JVM opens nothing but the journal's socket.
            Process p = new ProcessBuilder("python3", "-c",
                    "import socket,sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(sys.argv[1])",
                    path.toString()).inheritIO().start();
            assertEquals(0, p.waitFor());
            try (Journal journal = Journal.open(path.toString())) {
                PosixException e = assertThrows(PosixException.class, () -> journal.send(JournalEntry.of("refused")));
                assertTrue(e.is(Errno.ECONNREFUSED), e::toString);
                assertEquals(path.toString(), e.subject());
            }
        } finally {
            Files.deleteIfExists(path);
        }
    }

    @Test
    void socketPathsAreCheckedBeforeAnySocketIsMade() {
        assertEquals("path must be absolute: run/socket",
                assertThrows(IllegalArgumentException.class, () -> Journal.open("run/socket")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Journal.open("/" + "a".repeat(107)));
        assertThrows(IllegalArgumentException.class, () -> Journal.open("/a\0b"));
    }

    @Test
    void sendingOnAClosedJournalIsAnError() throws PosixException {
        Journal journal = Journal.open();
        journal.close();
        assertThrows(IllegalStateException.class, () -> journal.send(JournalEntry.of("closed")));
    }
}
