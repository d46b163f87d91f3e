#!/usr/bin/env python3
"""A throwaway PostgreSQL 15 server for the tests: Debian's postgresql-15,
initdb in a temporary directory, listening only on a Unix socket there,
run as an unprivileged user (nobody, when the tests run as root: initdb
refuses root), stopped and removed at the end.

    with pg_server.Server() as pg:
        pg.uri("db1")        # postgresql:///db1?host=DIR&user=USER
        pg.createdb("db1")

    pg_server.py -- CMD ...  runs CMD with HL_PG_URI set to a fresh
                             database's URI, and stops the server after.

pg.restart("-c shared_buffers=1GB") starts it again with those options
added (the benchmark's server tuned as a city's would be).
"""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

BIN = "/usr/lib/postgresql/15/bin"


class Server:
    def __init__(self):
        self.dir = None
        self.user = None

    def _run(self, cmd, **kw):
        """cmd as the server's user."""
        if os.geteuid() == 0:
            cmd = ["setpriv", "--reuid", self.user, "--regid", "nogroup",
                   "--clear-groups", "--"] + cmd
        return subprocess.run(cmd, check=True, capture_output=True, **kw)

    def __enter__(self):
        if not os.path.exists(os.path.join(BIN, "initdb")):
            sys.exit("pg_server: no %s/initdb: apt-get install "
                     "postgresql-15 (scripts/setup)" % BIN)
        self.user = ("nobody" if os.geteuid() == 0
                     else pwd.getpwuid(os.geteuid()).pw_name)
        self.dir = tempfile.mkdtemp(prefix="hl-pg-")
        if os.geteuid() == 0:
            os.chown(self.dir, pwd.getpwnam("nobody").pw_uid, -1)
        data = os.path.join(self.dir, "data")
        self._run([os.path.join(BIN, "initdb"), "-D", data, "-A", "trust",
                   "-E", "UTF8", "--locale", "C", "-U", self.user])
        self._start(data, "")
        return self

    def _start(self, data, more):
        self._run([os.path.join(BIN, "pg_ctl"), "-D", data, "-w", "-l",
                   os.path.join(self.dir, "log"), "-o",
                   "-k %s -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off %s"
                   % (self.dir, more), "start"])

    def restart(self, more):
        """Stopped cleanly and started with the options more added."""
        data = os.path.join(self.dir, "data")
        self._run([os.path.join(BIN, "pg_ctl"), "-D", data, "-m", "fast",
                   "-w", "stop"])
        self._start(data, more)

    def __exit__(self, *exc):
        try:
            self._run([os.path.join(BIN, "pg_ctl"), "-D",
                       os.path.join(self.dir, "data"), "-m", "immediate",
                       "-w", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def uri(self, db):
        return "postgresql:///%s?host=%s&user=%s" % (db, self.dir,
                                                     self.user)

    def createdb(self, db):
        subprocess.run([os.path.join(BIN, "createdb"), "-h", self.dir,
                        "-U", self.user, db], check=True)
        return self.uri(db)

    def psql(self, db, sql):
        """The rows of sql, tab-separated lines."""
        p = subprocess.run(["/usr/bin/psql", "-h", self.dir, "-U",
                            self.user, "-d", db, "-XAt", "-F", "\t", "-c",
                            sql], check=True, capture_output=True,
                           text=True)
        return p.stdout

    def require_password(self, role):
        """role must give its password; everyone else is trusted."""
        hba = os.path.join(self.dir, "data", "pg_hba.conf")
        self._run(["sh", "-c", "printf 'local all %s scram-sha-256\\n"
                   "local all all trust\\n' > %s" % (role, hba)])
        self._run([os.path.join(BIN, "pg_ctl"), "-D",
                   os.path.join(self.dir, "data"), "reload"])
        time.sleep(0.5)

    def kill_server(self):
        """Stops the server at once, as a crash would."""
        self._run([os.path.join(BIN, "pg_ctl"), "-D",
                   os.path.join(self.dir, "data"), "-m", "immediate",
                   "stop"])

    def start_again(self):
        data = os.path.join(self.dir, "data")
        self._run([os.path.join(BIN, "pg_ctl"), "-D", data, "-w", "-l",
                   os.path.join(self.dir, "log"), "-o",
                   "-k %s -c listen_addresses=''" % self.dir, "start"])


def main():
    if len(sys.argv) < 3 or sys.argv[1] != "--":
        sys.exit(__doc__)
    with Server() as pg:
        env = dict(os.environ, HL_PG_URI=pg.createdb("hotline"))
        t0 = time.monotonic()
        rc = subprocess.run(sys.argv[2:], env=env).returncode
        print("pg_server: %s: exit %d in %.1f s"
              % (sys.argv[2], rc, time.monotonic() - t0), file=sys.stderr)
    return rc


if __name__ == "__main__":
    sys.exit(main())
