//! A throwaway, real `redis-server` for the tests of the client's Redis coordination backend:
//! started on a free loopback port, without persistence, in a directory of its own, and killed
//! when dropped. Not a mock: the tests must meet the server's real behaviour (Lua scripts,
//! expiry, `TIME`).
//!
//! The binary is `$REDIS_SERVER` when set (a `valkey-server` works too), else `redis-server` on
//! the `PATH` (Debian's package `redis-server`; `scripts/lang/rust.sh setup` installs it).

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use std::{env, fmt, fs, io};

/// How long a server gets to answer its first `PING`.
const READY_WITHIN: Duration = Duration::from_secs(10);
/// Attempts when the port picked was taken by someone else before the server bound it.
const PORT_ATTEMPTS: usize = 5;

/// A running `redis-server` child process. Dropping it kills the server.
pub struct RedisServer {
    child: Child,
    port: u16,
    dir: PathBuf,
    /// Speaks TLS only (`rediss://`), with a certificate of the authority in `ca.pem`.
    tls: bool,
}

impl fmt::Debug for RedisServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisServer")
            .field("pid", &self.child.id())
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl RedisServer {
    /// The server binary: `$REDIS_SERVER`, else `redis-server` when it is on the `PATH`.
    pub fn binary() -> Option<PathBuf> {
        if let Some(path) = env::var_os("REDIS_SERVER") {
            return Some(PathBuf::from(path));
        }
        env::split_paths(&env::var_os("PATH")?)
            .map(|dir| dir.join("redis-server"))
            .find(|candidate| candidate.is_file())
    }

    /// A server for a test, or `None` (with a note on stderr) when no binary is installed. Under
    /// `CI=true` a missing binary panics instead: CI must run these tests, never skip them.
    pub fn for_tests(extra_args: &[&str]) -> Option<RedisServer> {
        Self::installed().then(|| Self::start(extra_args).expect("redis-server starts"))
    }

    /// [`for_tests`](Self::for_tests), speaking TLS only: see [`start_tls`](Self::start_tls).
    pub fn for_tests_tls() -> Option<RedisServer> {
        Self::installed().then(|| Self::start_tls().expect("redis-server starts"))
    }

    fn installed() -> bool {
        if Self::binary().is_none() {
            let ci = env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true"));
            assert!(
                !ci,
                "redis-server is not installed (apt-get install redis-server, or set REDIS_SERVER)"
            );
            eprintln!("SKIPPED: redis-server is not installed (apt-get install redis-server)");
            return false;
        }
        true
    }

    /// Starts a server with `extra_args` appended to its command line (`--requirepass x`...),
    /// and waits until it answers `PING`.
    pub fn start(extra_args: &[&str]) -> io::Result<RedisServer> {
        Self::start_any(extra_args, false)
    }

    /// Starts a server that speaks TLS only, with a certificate for `localhost` and
    /// `127.0.0.1` signed by a fresh test authority whose certificate is [`ca_file`](Self::ca_file).
    pub fn start_tls() -> io::Result<RedisServer> {
        Self::start_any(&[], true)
    }

    fn start_any(extra_args: &[&str], tls: bool) -> io::Result<RedisServer> {
        let binary = Self::binary().ok_or_else(|| {
            io::Error::new(io::ErrorKind::NotFound, "redis-server is not installed")
        })?;
        let mut last_error = None;
        for _ in 0..PORT_ATTEMPTS {
            match Self::start_on(&binary, free_port()?, extra_args, tls) {
                Ok(server) => return Ok(server),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.expect("at least one attempt"))
    }

    fn start_on(
        binary: &Path,
        port: u16,
        extra_args: &[&str],
        tls: bool,
    ) -> io::Result<RedisServer> {
        let dir = env::temp_dir().join(format!(
            "scaleway-partner-redis-{}-{port}",
            std::process::id()
        ));
        fs::create_dir_all(&dir)?;
        let log = dir.join("redis.log");
        let mut listen = vec!["--port".to_owned(), port.to_string()];
        if tls {
            let issued = crate::server::Issued::generate().map_err(io::Error::other)?;
            fs::write(dir.join("ca.pem"), &issued.ca_pem)?;
            fs::write(dir.join("cert.pem"), &issued.cert_pem)?;
            fs::write(dir.join("key.pem"), issued.key.serialize_pem())?;
            let file = |name: &str| dir.join(name).to_string_lossy().into_owned();
            listen = vec![
                "--port".to_owned(),
                "0".to_owned(),
                "--tls-port".to_owned(),
                port.to_string(),
                "--tls-cert-file".to_owned(),
                file("cert.pem"),
                "--tls-key-file".to_owned(),
                file("key.pem"),
                "--tls-ca-cert-file".to_owned(),
                file("ca.pem"),
                "--tls-auth-clients".to_owned(),
                "no".to_owned(),
            ];
        }
        let child = Command::new(binary)
            .args(&listen)
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .args(["--daemonize", "no", "--loglevel", "warning"])
            .arg("--dir")
            .arg(&dir)
            .arg("--logfile")
            .arg(&log)
            .args(extra_args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let mut server = RedisServer {
            child,
            port,
            dir,
            tls,
        };
        let started = Instant::now();
        loop {
            if let Some(status) = server.child.try_wait()? {
                let log = fs::read_to_string(&log).unwrap_or_default();
                return Err(io::Error::other(format!(
                    "redis-server exited ({status}) before answering: {}",
                    log.trim()
                )));
            }
            if server.pings() {
                return Ok(server);
            }
            if started.elapsed() > READY_WITHIN {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "redis-server did not answer PING",
                ));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// True when the server answers `PING` (or asks for a password: it is up); for TLS, when
    /// it accepts connections.
    fn pings(&self) -> bool {
        if self.tls {
            return TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok();
        }
        let answer = || -> io::Result<Vec<u8>> {
            let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port))?;
            stream.set_read_timeout(Some(Duration::from_secs(1)))?;
            stream.write_all(b"PING\r\n")?;
            let mut buf = [0u8; 64];
            let n = stream.read(&mut buf)?;
            Ok(buf[..n].to_vec())
        };
        answer().is_ok_and(|a| a.starts_with(b"+PONG") || a.starts_with(b"-NOAUTH"))
    }

    /// `redis://127.0.0.1:<port>/0`, or `rediss://localhost:<port>/0` for TLS.
    pub fn url(&self) -> String {
        if self.tls {
            format!("rediss://localhost:{}/0", self.port)
        } else {
            format!("redis://127.0.0.1:{}/0", self.port)
        }
    }

    /// The PEM file of the authority that signed a TLS server's certificate.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Its process ID.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Freezes the server (SIGSTOP): the kernel still accepts connections, nothing answers.
    pub fn freeze(&self) -> io::Result<()> {
        self.signal("-STOP")
    }

    /// Resumes a frozen server (SIGCONT).
    pub fn thaw(&self) -> io::Result<()> {
        self.signal("-CONT")
    }

    fn signal(&self, signal: &str) -> io::Result<()> {
        let status = Command::new("kill")
            .arg(signal)
            .arg(self.child.id().to_string())
            .status()?;
        if status.success() {
            Ok(())
        } else {
            Err(io::Error::other(format!("kill {signal} failed: {status}")))
        }
    }

    /// Kills the server now (SIGKILL) and waits for it: Redis down.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// A loopback port that was free a moment ago (bound to port 0, then released): redis-server
/// cannot pick one itself.
pub fn free_port() -> io::Result<u16> {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
    Ok(listener.local_addr()?.port())
}
