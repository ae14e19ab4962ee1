//! Page cursors on every cursored list: whatever a client sends as `cursor` (made up, tampered,
//! type-swapped, from another list or sort) is 422 `invalid_cursor`, never a 5xx, and the
//! list's legitimate pages keep answering with the right rows afterwards (issue 22, items 1–2).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::search::{Demo, demo_with};

/// Deterministic pseudo-random numbers (xorshift), so a failure is reproducible.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.next() % items.len() as u64).expect("small")]
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next().to_le_bytes()[0]).collect()
    }
}

/// Cursors a client could make up: the old unsigned format with every type tag against every
/// kind of value, the same with a made-up signature, a genuine cursor's payload with another
/// signature, a genuine signature on another payload, and random bytes.
fn hostile_cursors(genuine: &str, noise: &mut Noise) -> Vec<String> {
    let sorts = [
        "code",
        "name",
        "-updated_at",
        "-created_at",
        "due_on",
        "number",
        "next_due_on",
        "title",
        "-seq",
        "-at",
        "-read_at",
        "x",
    ];
    let tags = ["t", "d", "D", "n", "i", "x", ""];
    let values = [
        json!("2026-12-03T00:00:00Z"),
        json!("2026-12-03"),
        json!("ME-P"),
        json!("a\u{0}b"),
        json!(1),
        json!(-1),
        json!(1e300),
        json!(9_223_372_036_854_775_807_i64),
        json!(null),
        json!([1, 2]),
        json!({"a": 1}),
    ];
    let ids = [json!("00000000-0000-0000-0000-000000000000"), json!(uuid::Uuid::now_v7()), json!("nope"), json!(7)];
    let (genuine_payload, genuine_tag) = genuine.split_once('.').expect("a signed cursor");
    let mut cursors = Vec::new();
    for _ in 0..40 {
        let payload =
            json!([noise.pick(&sorts), [noise.pick(&tags), noise.pick(&values)], noise.pick(&ids)]).to_string();
        let payload = URL_SAFE_NO_PAD.encode(payload);
        cursors.push(payload.clone());
        cursors.push(format!("{payload}.{}", URL_SAFE_NO_PAD.encode(noise.bytes(16))));
        cursors.push(format!("{payload}.{genuine_tag}"));
    }
    for _ in 0..5 {
        cursors.push(format!("{genuine_payload}.{}", URL_SAFE_NO_PAD.encode(noise.bytes(16))));
        cursors.push(URL_SAFE_NO_PAD.encode(noise.bytes(48)));
    }
    cursors.push(format!("{genuine}x"));
    cursors.push(genuine_payload.to_owned());
    cursors
}

async fn page(demo: &Demo, path: &str) -> (u16, Value) {
    let response = demo.app.get_as(path, &demo.chief).await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

/// The first few items of a list in one page, as the truth the paged reads must match.
async fn items(demo: &Demo, path: &str) -> Vec<Value> {
    let (status, body) = page(demo, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body["items"].as_array().expect("items").clone()
}

fn join(path: &str, query: &str) -> String {
    format!("{path}{}{query}", if path.contains('?') { '&' } else { '?' })
}

async fn first_id(demo: &Demo, path: &str) -> String {
    items(demo, path).await[0]["id"].as_str().expect("an id").to_owned()
}

/// Every cursored list of the demo yacht, under each of its sorts, with at least five rows.
async fn lists(demo: &Demo) -> Vec<String> {
    let yacht = format!("/v1/yachts/{}", demo.aurora);
    let engine = first_id(demo, &format!("{yacht}/equipment?q=main%20engine&roots_only=true")).await;
    let fault = first_id(demo, &format!("{yacht}/faults")).await;
    let work_order = first_id(demo, &format!("{yacht}/work-orders")).await;
    let part = first_id(demo, &format!("{yacht}/parts")).await;
    // Enough rows on the lists the demo data leaves short.
    for n in 0..5 {
        for (path, body) in [
            (format!("{yacht}/equipment/{engine}/notes"), json!({"body": format!("note {n}")})),
            (format!("{yacht}/faults/{fault}/notes"), json!({"body": format!("note {n}")})),
            (format!("{yacht}/work-orders/{work_order}/notes"), json!({"body": format!("note {n}")})),
            (format!("{yacht}/handover"), json!({"summary": format!("item {n}"), "category": "fyi"})),
            (format!("{yacht}/purchase-requests"), json!({"part_id": part, "quantity": n + 1})),
            (format!("{yacht}/parts/{part}/receive"), json!({"quantity": 1})),
            (format!("{yacht}/equipment/{engine}/running-hours"), json!({"hours": 90_000 + n})),
        ] {
            let response = demo.app.post_json(&path, &body, Some(&demo.chief)).await;
            assert!(response.status().is_success(), "{path}: {}", response.text().await.unwrap_or_default());
        }
    }
    let mut lists = Vec::new();
    for sort in ["code", "name", "-updated_at"] {
        lists.push(format!("{yacht}/equipment?sort={sort}"));
    }
    lists.push(format!("{yacht}/equipment?status=operational&q=pump&sort=name"));
    lists.push(format!("{yacht}/equipment/{engine}/running-hours"));
    lists.push(format!("{yacht}/faults"));
    for sort in ["-created_at", "due_on", "number"] {
        lists.push(format!("{yacht}/work-orders?sort={sort}"));
    }
    lists.push(format!("{yacht}/parts"));
    lists.push(format!("{yacht}/parts/{part}/movements"));
    lists.push(format!("{yacht}/purchase-requests"));
    for sort in ["next_due_on", "title", "-created_at"] {
        lists.push(format!("{yacht}/schedules?sort={sort}"));
    }
    lists.push(format!("{yacht}/audit"));
    lists.push(format!("{yacht}/handover"));
    lists.push(format!("{yacht}/equipment/{engine}/notes"));
    lists.push(format!("{yacht}/faults/{fault}/notes"));
    lists.push(format!("{yacht}/work-orders/{work_order}/notes"));
    lists
}

#[tokio::test]
async fn no_cursor_a_client_makes_up_reaches_the_database_or_breaks_a_list() {
    let demo = demo_with(|_| {}).await;
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    let lists = lists(&demo).await;
    let mut genuine = Vec::new();
    for list in &lists {
        let truth = items(&demo, &join(list, "limit=6")).await;
        assert!(truth.len() >= 5, "{list} has too few rows to page: {}", truth.len());
        let (_, first) = page(&demo, &join(list, "limit=2")).await;
        let cursor = first["next_cursor"].as_str().unwrap_or_else(|| panic!("{list}: a next page")).to_owned();
        genuine.push((list, truth, cursor));
    }
    for (list, _, cursor) in &genuine {
        for hostile in hostile_cursors(cursor, &mut noise) {
            let (status, body) = page(&demo, &join(list, &format!("limit=2&cursor={hostile}"))).await;
            assert_eq!((status, body["code"].as_str()), (422, Some("invalid_cursor")), "{list} with {hostile}: {body}");
            assert_eq!(body["errors"][0]["field"], "cursor");
        }
    }
    // A genuine cursor only continues its own list, sort and filters.
    for (list, _, cursor) in &genuine {
        for (other, _, _) in genuine.iter().filter(|(other, _, _)| other != list) {
            let (status, body) = page(&demo, &join(other, &format!("limit=2&cursor={cursor}"))).await;
            assert_eq!((status, body["code"].as_str()), (422, Some("invalid_cursor")), "{list}'s cursor on {other}");
        }
    }
    // Afterwards every list still pages, on every pooled connection, with the right rows; the
    // page size may change between pages.
    for (list, truth, cursor) in &genuine {
        for _ in 0..6 {
            let (status, second) = page(&demo, &join(list, &format!("limit=3&cursor={cursor}"))).await;
            assert_eq!(status, 200, "{list}: {second}");
            assert_eq!(
                second["items"].as_array().expect("items"),
                &truth[2..5],
                "{list}: the rows after the first page"
            );
        }
    }
}
