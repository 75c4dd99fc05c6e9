//! A plain-HTTP backend on loopback that keeps the raw header lines of every request it gets,
//! by the request's `X-Case` header: what an edge really forwarded, byte for byte.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Header lines as received: (name, value bytes).
pub type HeaderLines = Vec<(String, Vec<u8>)>;

/// The backend; it serves until the test process ends.
pub struct HeaderSink {
    /// Its port on 127.0.0.1.
    pub port: u16,
    seen: Arc<Mutex<HashMap<String, HeaderLines>>>,
}

impl HeaderSink {
    /// Starts the backend on a free port.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the header sink");
        let port = listener.local_addr().unwrap().port();
        let seen: Arc<Mutex<HashMap<String, HeaderLines>>> = Arc::default();
        let store = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let store = Arc::clone(&store);
                std::thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                    let mut head = Vec::new();
                    let mut buffer = [0u8; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buffer) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buffer[..n]),
                        }
                    }
                    let lines = parse_head(&head);
                    let case = lines
                        .iter()
                        .find(|(name, _)| name.eq_ignore_ascii_case("x-case"))
                        .map(|(_, v)| String::from_utf8_lossy(v).into_owned());
                    if let Some(case) = case {
                        store.lock().unwrap().insert(case, lines);
                    }
                    let _ = stream.write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n",
                    );
                });
            }
        });
        Self { port, seen }
    }

    /// The header lines the request for `case` carried, waiting a little for it.
    pub fn headers(&self, case: &str) -> Option<HeaderLines> {
        let deadline = Instant::now() + Duration::from_millis(500);
        loop {
            if let Some(lines) = self.seen.lock().unwrap().get(case) {
                return Some(lines.clone());
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn parse_head(head: &[u8]) -> HeaderLines {
    let end = head
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(head.len());
    head[..end]
        .split(|&b| b == b'\n')
        .skip(1)
        .filter_map(|line| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let colon = line.iter().position(|&b| b == b':')?;
            let name = String::from_utf8_lossy(&line[..colon]).into_owned();
            // The one space after the colon is the writer's; anything after it, trailing
            // spaces included, is the value as the edge wrote it.
            let value = &line[colon + 1..];
            let value = value.strip_prefix(b" ").unwrap_or(value);
            Some((name, value.to_vec()))
        })
        .collect()
}
