//! Micro-actions over HTTP: every action executed as a role that may run it (its effect checked
//! in the tenant database) and as one that may not (403, nothing written); the refusals; the
//! action list by role and by a record's state.

use pms_tests::{TestApp, TestYacht, pool_for, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;

/// A yacht with a member of each access level and some equipment and stock to act on.
struct Ship {
    app: TestApp,
    yacht: TestYacht,
    db: PgPool,
    chief: String,
    engineer: String,
    engineer_id: String,
    crew: String,
    equipment: String,
}

impl Ship {
    async fn new() -> Self {
        let app = spawn_app().await;
        let (yacht, chief) = app.yacht_with_chief("M/Y Actions").await;
        let (engineer, engineer_id) = app.add_member(&yacht, "engineer@actions.test", "engineer").await;
        let (crew, _) = app.add_member(&yacht, "deckhand@actions.test", "crew").await;
        let equipment = app.create_equipment(&yacht, &chief, json!({"code": "DG-2", "name": "Generator 2"})).await;
        let db = pool_for(&yacht.database).await;
        let equipment = id(&equipment);
        Self { app, yacht, db, chief, engineer, engineer_id, crew, equipment }
    }

    fn path(&self, rest: &str) -> String {
        format!("/v1/yachts/{}/{rest}", self.yacht.id)
    }

    /// A REST call as the chief engineer that must succeed; its body.
    async fn rest(&self, path: &str, body: Value) -> Value {
        let response = self.app.send(Method::POST, &self.path(path), Some(&body), &self.chief).await;
        let status = response.status();
        let body: Value = response.json().await.expect("json");
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }

    async fn execute(&self, token: &str, action: &str, payload: &Value) -> reqwest::Response {
        let body = json!({"action": action, "payload": payload});
        self.app.send(Method::POST, &self.path("actions/execute"), Some(&body), token).await
    }

    async fn scalar(&self, sql: &str) -> String {
        sqlx::query_scalar::<_, Option<String>>(sqlx::AssertSqlSafe(format!("SELECT ({sql})::text")))
            .fetch_one(&self.db)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .unwrap_or_default()
    }

    async fn audit_entries(&self) -> String {
        self.scalar("SELECT count(*) FROM audit_log").await
    }

    async fn fault(&self, code: &str) -> String {
        let body = json!({"equipment_id": self.equipment, "code": code, "title": format!("Alarm {code}")});
        id(&self.rest("faults", body).await)
    }

    async fn resolved_fault(&self) -> String {
        let fault = self.fault("E101").await;
        self.rest(&format!("faults/{fault}/resolve"), json!({"resolution": "Reset the breaker"})).await;
        fault
    }

    async fn work_order(&self, steps: &[&str]) -> String {
        let body = json!({"title": "Raw-water pump impeller", "equipment_id": self.equipment});
        let work_order = id(&self.rest("work-orders", body).await);
        for step in steps {
            let body = match *step {
                "complete" => json!({"completion_notes": "Done and tested"}),
                _ => json!({}),
            };
            self.rest(&format!("work-orders/{work_order}/{step}"), body).await;
        }
        work_order
    }

    async fn part(&self, number: &str, stock: u32) -> String {
        let body = json!({"number": number, "name": format!("Part {number}"), "barcode": format!("BC-{number}"), "minimum_quantity": 2});
        let part = id(&self.rest("parts", body).await);
        if stock > 0 {
            self.rest(&format!("parts/{part}/receive"), json!({"quantity": stock})).await;
        }
        part
    }
}

fn id(body: &Value) -> String {
    body["id"].as_str().unwrap_or_else(|| panic!("no id in {body}")).to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Crew,
    Engineer,
    Chief,
}

fn token(s: &Ship, who: Who) -> &str {
    match who {
        Who::Crew => &s.crew,
        Who::Engineer => &s.engineer,
        Who::Chief => &s.chief,
    }
}

mod every_action;
mod refusals;
mod views;
