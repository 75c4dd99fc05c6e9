//! Real proxies from Debian on loopback, for the live test's routes and its benchmark.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::oracle_missing;

/// A program from Debian serving on a loopback port; stopped on drop.
pub struct Daemon {
    child: Child,
    /// The port it listens on.
    pub port: u16,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `program args` in `dir` and waits until `port` accepts; `None` (reported through
/// [`oracle_missing`]) when the program is not installed.
pub fn daemon(dir: &Path, program: &str, args: &[&str], port: u16) -> Option<Daemon> {
    let child = match Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(error) => {
            oracle_missing(program, &error.to_string());
            return None;
        }
    };
    let daemon = Daemon { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{program} did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(daemon)
}

/// tinyproxy on loopback, logging to `tinyproxy.log`; with `credentials`, it demands them.
pub fn tinyproxy(dir: &Path, credentials: Option<(&str, &str)>) -> Option<Daemon> {
    let port = free_port();
    let d = dir.display();
    let auth = credentials
        .map(|(user, password)| format!("BasicAuth {user} {password}\n"))
        .unwrap_or_default();
    let config = dir.join(format!("tinyproxy-{port}.conf"));
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListen 127.0.0.1\nTimeout 30\nMaxClients 20\nAllow 127.0.0.1\nLogLevel Connect\nLogFile \"{d}/tinyproxy.log\"\nPidFile \"{d}/tinyproxy-{port}.pid\"\n{auth}"
        ),
    )
    .unwrap();
    daemon(
        dir,
        "tinyproxy",
        &["-d", "-c", config.to_str().unwrap()],
        port,
    )
}
