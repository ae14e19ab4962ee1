//! A TCP proxy on loopback that can be told to go silent: it then keeps every connection open
//! and accepts new ones, but forwards nothing, as a server behind a firewall dropping packets.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// How often a silenced connection looks whether it may speak again.
const POLL: Duration = Duration::from_millis(20);

/// A proxy to `127.0.0.1:<target>`; dropping it does not stop it (the test process ends).
#[derive(Debug, Clone)]
pub struct Proxy {
    pub port: u16,
    silent: Arc<AtomicBool>,
}

impl Proxy {
    pub async fn start(target: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let port = listener.local_addr().expect("address").port();
        let silent = Arc::new(AtomicBool::new(false));
        let flag = silent.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let flag = flag.clone();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(("127.0.0.1", target)).await else { return };
                    let (client_read, client_write) = client.into_split();
                    let (server_read, server_write) = server.into_split();
                    tokio::join!(
                        forward(client_read, server_write, flag.clone()),
                        forward(server_read, client_write, flag)
                    );
                });
            }
        });
        Self { port, silent }
    }

    /// Stops forwarding in both directions (connections stay open) until [`Proxy::speak`].
    pub fn go_silent(&self) {
        self.silent.store(true, Ordering::SeqCst);
    }

    pub fn speak(&self) {
        self.silent.store(false, Ordering::SeqCst);
    }
}

async fn forward(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    silent: Arc<AtomicBool>,
) {
    let mut buffer = vec![0; 16 * 1024];
    loop {
        while silent.load(Ordering::SeqCst) {
            tokio::time::sleep(POLL).await;
        }
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        // Bytes read while going silent are held back, not forwarded late.
        while silent.load(Ordering::SeqCst) {
            tokio::time::sleep(POLL).await;
        }
        if to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
    }
}
