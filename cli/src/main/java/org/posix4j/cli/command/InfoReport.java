package org.posix4j.cli.command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.posix4j.Feature;
import org.posix4j.Features;
import org.posix4j.PosixException;
import org.posix4j.cli.output.JsonWriter;
import org.posix4j.cli.output.TextTable;
import org.posix4j.io.Fd;
import org.posix4j.process.Credentials;
import org.posix4j.process.CurrentProcess;
import org.posix4j.process.IoPriorities;
import org.posix4j.process.IoPriority;
import org.posix4j.process.IoPriorityTarget;
import org.posix4j.process.Limit;
import org.posix4j.process.ResIds;
import org.posix4j.process.Resource;
import org.posix4j.process.ResourceLimits;
import org.posix4j.process.Rlimit;
import org.posix4j.process.Sessions;
import org.posix4j.system.MallocInfo;
import org.posix4j.system.SystemInfo;
import org.posix4j.system.Uname;
import org.posix4j.terminal.Terminal;

/// What `posix4j info` reports, read once, then printed as JSON or as text with the same names.
///
/// User and group ids are `uid_t`/`gid_t`, unsigned, so they are held widened to `long`.
///
/// @param uname uname(2)
/// @param pid getpid(2)
/// @param ppid getppid(2)
/// @param pgid getpgrp(2)
/// @param sid getsid(0)
/// @param uids getresuid(2)
/// @param gids getresgid(2)
/// @param groups getgroups(2)
/// @param umask the file mode creation mask
/// @param tty the path of the terminal on descriptor 0, or null when it is none
/// @param rlimits every resource's limits, in RLIMIT_* order
/// @param meminfo mallinfo2(3), or null where libc lacks it
/// @param openMax sysconf(_SC_OPEN_MAX)
/// @param ioprio the calling thread's I/O priority, or null where the kernel lacks ioprio_get
/// @param features every optional feature and whether it is usable
record InfoReport(
        Uname uname,
        int pid,
        int ppid,
        int pgid,
        int sid,
        ResIds uids,
        ResIds gids,
        List<Long> groups,
        int umask,
        String tty,
        Map<Resource, Rlimit> rlimits,
        MallocInfo meminfo,
        long openMax,
        IoPriority ioprio,
        Map<String, Feature> features) {

    /// Reads everything from the kernel and libc.
    ///
    /// @throws PosixException if ioprio_get(2) or ttyname_r(3) fails for a reason other than a
    ///     terminal without a name here; neither should for the calling process
    static InfoReport collect() throws PosixException {
        List<Long> groups = new ArrayList<>();
        for (int g : Credentials.groups()) {
            groups.add(Integer.toUnsignedLong(g));
        }
        return new InfoReport(
                SystemInfo.uname(),
                CurrentProcess.pid(),
                CurrentProcess.parentPid(),
                Sessions.processGroup(),
                Sessions.session(),
                Credentials.resuid(),
                Credentials.resgid(),
                List.copyOf(groups),
                CurrentProcess.umask(),
                stdinTerminal(),
                ResourceLimits.all(),
                Features.mallinfo2().available() ? SystemInfo.mallocInfo() : null,
                SystemInfo.openMax(),
                IoPriorities.available() ? IoPriorities.get(IoPriorityTarget.process(0)) : null,
                Features.all());
    }

    /// The name of the terminal on descriptor 0. A terminal can also have no name here: a pty
    /// passed in from another mount namespace is not under this /dev/pts, and ttyname_r says
    /// ENODEV. That is still "no path", not a reason to fail the whole report.
    private static String stdinTerminal() throws PosixException {
        Fd stdin = Fd.stdin();
        if (!Terminal.isTerminal(stdin)) {
            return null;
        }
        try {
            return Terminal.name(stdin);
        } catch (PosixException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }

    /// The report as one JSON object.
    String toJson() {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("uname").beginObject()
                .name("sysname").value(uname.sysname())
                .name("nodename").value(uname.nodename())
                .name("release").value(uname.release())
                .name("version").value(uname.version())
                .name("machine").value(uname.machine())
                .endObject();
        w.name("ids").beginObject()
                .name("pid").value(pid)
                .name("ppid").value(ppid)
                .name("uid").value(id(uids.real()))
                .name("euid").value(id(uids.effective()))
                .name("suid").value(id(uids.saved()))
                .name("gid").value(id(gids.real()))
                .name("egid").value(id(gids.effective()))
                .name("sgid").value(id(gids.saved()))
                .name("groups").beginArray();
        groups.forEach(w::value);
        w.endArray().endObject();
        w.name("pgid").value(pgid);
        w.name("sid").value(sid);
        w.name("umask").value(octal(umask));
        w.name("tty").value(tty);
        w.name("rlimits").beginObject();
        rlimits.forEach((resource, limit) -> {
            w.name(key(resource)).beginObject().name("soft");
            limit(w, limit.soft()).name("hard");
            limit(w, limit.hard()).endObject();
        });
        w.endObject();
        w.name("meminfo");
        if (meminfo == null) {
            w.nullValue();
        } else {
            w.beginObject()
                    .name("allocated").value(meminfo.allocated())
                    .name("allocated_mmap").value(meminfo.allocatedMmap())
                    .name("used").value(meminfo.used())
                    .name("unused").value(meminfo.unused())
                    .name("returnable").value(meminfo.returnable())
                    .endObject();
        }
        w.name("open_max").value(openMax);
        w.name("ioprio");
        if (ioprio == null) {
            w.nullValue();
        } else {
            w.beginObject().name("class").value(ioprioClass(ioprio)).name("level").value(ioprio.level())
                    .name("hint").value(ioprio.hint()).endObject();
        }
        w.name("features").beginObject();
        features.forEach((name, f) -> w.name(name).value(f.available()));
        return w.endObject().endObject().toJson();
    }

    /// The report as titled sections of aligned columns, with the JSON names.
    void printText(PrintWriter out) {
        List<TextTable> sections = new ArrayList<>();
        sections.add(new TextTable("System")
                .row("sysname", uname.sysname())
                .row("nodename", uname.nodename())
                .row("release", uname.release())
                .row("version", uname.version())
                .row("machine", uname.machine()));
        sections.add(new TextTable("Process")
                .row("pid", Integer.toString(pid))
                .row("ppid", Integer.toString(ppid))
                .row("pgid", Integer.toString(pgid))
                .row("sid", Integer.toString(sid))
                .row("umask", octal(umask))
                .row("tty", tty == null ? "none" : tty)
                .row("ioprio", ioprio == null
                        ? "unavailable: " + Features.ioprio().reason()
                        : ioprioText(ioprio))
                .row("open_max", Long.toString(openMax)));
        sections.add(new TextTable("Credentials")
                .row("uid", Long.toString(id(uids.real())))
                .row("euid", Long.toString(id(uids.effective())))
                .row("suid", Long.toString(id(uids.saved())))
                .row("gid", Long.toString(id(gids.real())))
                .row("egid", Long.toString(id(gids.effective())))
                .row("sgid", Long.toString(id(gids.saved())))
                .row("groups", groups.isEmpty()
                        ? "none"
                        : groups.stream().map(String::valueOf).collect(Collectors.joining(" "))));
        TextTable limits = new TextTable("Resource limits").row("resource", "soft", "hard");
        rlimits.forEach((resource, limit) ->
                limits.row(key(resource), limit.soft().toString(), limit.hard().toString()));
        sections.add(limits);
        TextTable memory = new TextTable("Memory (malloc, bytes)");
        if (meminfo == null) {
            memory.row("mallinfo2", "unavailable: " + Features.mallinfo2().reason());
        } else {
            memory.row("allocated", Long.toString(meminfo.allocated()))
                    .row("allocated_mmap", Long.toString(meminfo.allocatedMmap()))
                    .row("used", Long.toString(meminfo.used()))
                    .row("unused", Long.toString(meminfo.unused()))
                    .row("returnable", Long.toString(meminfo.returnable()));
        }
        sections.add(memory);
        TextTable available = new TextTable("Features");
        features.forEach((name, f) -> available.row(name, f.available() ? "yes" : "no", f.reason()));
        sections.add(available);
        for (int i = 0; i < sections.size(); i++) {
            if (i > 0) {
                out.println();
            }
            sections.get(i).print(out);
        }
    }

    private static long id(int id) {
        return Integer.toUnsignedLong(id);
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }

    /// The resource as JSON and text name it: RLIMIT_NOFILE is "nofile".
    private static String key(Resource resource) {
        return resource.name().toLowerCase(Locale.ROOT);
    }

    private static JsonWriter limit(JsonWriter w, Limit limit) {
        return limit.isUnlimited() ? w.value("unlimited") : w.value(limit.value());
    }

    /// As `ionice -p` prints it ("best-effort: prio 4", "idle"), with the hint ionice 2.38 folds
    /// into the level shown apart: "best-effort: prio 4, hint 1".
    private static String ioprioText(IoPriority p) {
        String text = p instanceof IoPriority.Idle ? "idle" : ioprioClass(p) + ": prio " + p.level();
        return p.hint() == 0 ? text : text + ", hint " + p.hint();
    }

    private static String ioprioClass(IoPriority p) {
        return switch (p) {
            case IoPriority.None _ -> "none";
            case IoPriority.RealTime _ -> "realtime";
            case IoPriority.BestEffort _ -> "best-effort";
            case IoPriority.Idle _ -> "idle";
        };
    }
}
