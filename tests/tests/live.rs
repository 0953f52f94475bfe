//! Live sync: twenty tills of one shop, each with its engine running and a
//! round only once an hour, so that only the server's change notices can
//! tell them of each other's sales. Five of them sell a piece each; every
//! till then shows all five as sold. On PostgreSQL the tills are split
//! between two server processes: the notices cross from one to the other.

use std::time::Duration;

use zargar_e2e::backend::postgres_wanted;
use zargar_e2e::watching::Watching;
use zargar_e2e::{Server, Till, metrics_of, rings, wait_until};

const TILLS: usize = 20;
const SELLERS: usize = 5;
const HOUR: u64 = 3600;

#[test]
fn a_piece_sold_at_one_till_shows_as_sold_at_every_other_online_till() {
    let work = tempfile::tempdir().expect("tempdir");
    let server = Server::start(work.path());
    let tags = rings(TILLS);
    let shop = server.shop("Live", &tags, work.path());
    let second = postgres_wanted().then(|| server.another_process());
    let urls: Vec<String> = std::iter::once(server.url()).chain(second.as_ref().map(|p| p.url())).collect();
    let tills: Vec<Till> = (0..TILLS)
        .map(|n| {
            let dir = work.path().join(format!("till-{n}"));
            Till::enrolled(&dir, &format!("till {n}"), &urls[n % urls.len()], &server, shop)
        })
        .collect();
    for t in &tills {
        assert_eq!(t.item_status(&tags[0]), "in_stock", "{} before any sale", t.name);
    }
    let engines: Vec<Watching> = tills.iter().map(|t| Watching::start(t, HOUR)).collect();
    wait_until("every till's notices streaming", Duration::from_secs(60), || engines.iter().all(Watching::live));

    for (n, till) in tills.iter().take(SELLERS).enumerate() {
        till.sell(&[&tags[n]]);
        // Pushed now by this one round; the others learn of it from the server.
        till.sync().expect("push the sale");
    }

    let sold = &tags[..SELLERS];
    wait_until("every till to show the five pieces as sold", Duration::from_secs(60), || {
        tills.iter().all(|t| sold.iter().all(|tag| t.item_status(tag) == "sold"))
    });
    for t in &tills {
        assert_eq!(t.item_status(&tags[SELLERS]), "in_stock", "{}: an unsold piece stays in stock", t.name);
        assert_eq!(t.status()["pending"], 0, "{}: nothing left to push", t.name);
    }
    assert!(engines.iter().all(Watching::live), "the streams stayed open");
    let per_process = TILLS / urls.len();
    for url in &urls {
        let metrics = metrics_of(url);
        assert!(
            metrics.contains(&format!("zargar_live_streams {per_process}")),
            "{url}: one stream a till:\n{metrics}"
        );
    }
}
