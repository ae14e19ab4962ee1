//! The role matrix (action × role → allowed) comes from one place, the registry, and both ways
//! into a use case honour it: every action is run through `/actions/execute`, and through its
//! REST route where it has one, as a member of every role. A role the registry allows is never
//! refused with 403; one it does not is always refused, before any id is looked up, and nothing
//! is written.

use pms_domain::actions::{ACTIONS, ActionName};
use pms_domain::identity::Role;
use pms_tests::{TestApp, pool_for, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

/// The REST route of an action: method, path under the yacht (`{id}` is an id of no record) and
/// a body the route accepts, so the role is what decides.
fn rest_route(action: ActionName) -> Option<(Method, &'static str, Value)> {
    use ActionName as A;
    let text = || json!({"reason": "Role matrix"});
    let route = match action {
        A::ReportFault => (Method::POST, "faults", json!({"title": "Role matrix"})),
        A::AcknowledgeFault => (Method::POST, "faults/{id}/acknowledge", json!(null)),
        A::CloseFault => (Method::POST, "faults/{id}/resolve", json!({"resolution": "Role matrix"})),
        A::ReopenFault => (Method::POST, "faults/{id}/reopen", json!(null)),
        A::MarkFaultFalseAlarm => (Method::POST, "faults/{id}/false-alarm", text()),
        A::AddFaultNote => (Method::POST, "faults/{id}/notes", json!({"body": "Role matrix"})),
        A::CreateWorkOrderFromFault => (Method::POST, "faults/{id}/work-order", json!({})),
        A::CreateWorkOrder => (Method::POST, "work-orders", json!({"title": "Role matrix"})),
        A::StartWorkOrder => (Method::POST, "work-orders/{id}/start", json!(null)),
        A::MarkWorkOrderComplete => {
            (Method::POST, "work-orders/{id}/complete", json!({"completion_notes": "Role matrix"}))
        }
        A::DeferWorkOrder => (Method::POST, "work-orders/{id}/defer", text()),
        A::CancelWorkOrder => (Method::POST, "work-orders/{id}/cancel", text()),
        A::ReopenWorkOrder => (Method::POST, "work-orders/{id}/reopen", json!(null)),
        A::AssignWorkOrder => (Method::POST, "work-orders/{id}/assign", json!({"assignee_id": null})),
        A::LogWorkOrderHours => (Method::POST, "work-orders/{id}/hours", json!({"hours": 1.0})),
        A::AddWorkOrderNote => (Method::POST, "work-orders/{id}/notes", json!({"body": "Role matrix"})),
        A::AddEquipmentNote => (Method::POST, "equipment/{id}/notes", json!({"body": "Role matrix"})),
        A::UpdateEquipmentStatus => (Method::POST, "equipment/{id}/status", json!({"status": "degraded"})),
        A::RecordRunningHours => (Method::POST, "equipment/{id}/running-hours", json!({"hours": 100.0})),
        A::ReceivePart => (Method::POST, "parts/{id}/receive", json!({"quantity": 1})),
        A::LogPartUsage => (Method::POST, "parts/{id}/consume", json!({"quantity": 1})),
        A::AdjustStock => (Method::POST, "parts/{id}/adjust", json!({"counted": 1, "reason": "Role matrix"})),
        A::ApprovePurchaseRequest => (Method::POST, "purchase-requests/{id}/approve", json!({})),
        A::AddToHandover => (Method::POST, "handover", json!({"summary": "Role matrix"})),
        A::ViewAuditTrail => (Method::GET, "audit", json!(null)),
        _ => return None,
    };
    Some(route)
}

/// A yacht whose first member is a tenant admin, who invites one member of every other role.
async fn crew_of_every_role(app: &TestApp) -> (String, String, Vec<(Role, String)>) {
    let platform = app.platform_admin_token().await;
    let email = |role: Role| format!("{}-{}@matrix.test", role.as_str(), uuid::Uuid::new_v4().simple());
    let admin_email = email(Role::Admin);
    let created = app
        .provision(&platform, &json!({"name": "M/Y Matrix", "first_admin": {"email": admin_email, "role": "admin"}}))
        .await;
    let yacht = created["id"].as_str().expect("id").to_owned();
    let database = created["tenant_database"]["database"].as_str().expect("database").to_owned();
    let invite = created["first_admin_invitation"]["invite_token"].as_str().expect("invite token");
    let admin =
        app.accept_invite(invite, pms_tests::TEST_PASSWORD).await["access_token"].as_str().expect("token").to_owned();
    let mut members = vec![(Role::Admin, admin.clone())];
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
        let body = json!({"email": email(role), "role": role.as_str()});
        let response = app.post_json(&format!("/v1/yachts/{yacht}/members"), &body, Some(&admin)).await;
        let status = response.status();
        let invited: Value = response.json().await.expect("json");
        assert_eq!(status, 201, "inviting a {}: {invited}", role.as_str());
        let login = app.accept_invite(invited["invite_token"].as_str().expect("token"), pms_tests::TEST_PASSWORD).await;
        members.push((role, login["access_token"].as_str().expect("token").to_owned()));
    }
    (yacht, database, members)
}

#[tokio::test]
async fn every_action_allows_exactly_the_roles_the_registry_names_through_rest_and_execute_alike() {
    let app = spawn_app().await;
    let (yacht, database, members) = crew_of_every_role(&app).await;
    let db = pool_for(&database).await;
    let written = async || -> i64 {
        let audit = sqlx::query_scalar::<_, i64>("SELECT count(*) FROM audit_log").fetch_one(&db);
        let runs = sqlx::query_scalar::<_, i64>("SELECT count(*) FROM action_executions WHERE outcome = 'success'");
        audit.await.expect("audit") + runs.fetch_one(&db).await.expect("executions")
    };
    let nobody = uuid::Uuid::now_v7().to_string();
    let mut mismatches = Vec::new();
    for spec in &ACTIONS {
        for (role, token) in &members {
            let allowed = spec.allowed_for(*role);
            let before = if allowed { 0 } else { written().await };
            let body = json!({"action": spec.name.as_str(), "payload": {}});
            let executed =
                app.send(Method::POST, &format!("/v1/yachts/{yacht}/actions/execute"), Some(&body), token).await;
            let mut statuses = vec![("execute", executed.status().as_u16())];
            if let Some((method, path, body)) = rest_route(spec.name) {
                let path = format!("/v1/yachts/{yacht}/{}", path.replace("{id}", &nobody));
                let body = (!body.is_null()).then_some(body);
                statuses.push(("REST", app.send(method, &path, body.as_ref(), token).await.status().as_u16()));
            }
            for (way, status) in statuses {
                if (status == 403) == allowed {
                    mismatches.push(format!("{} as {} via {way}: {status}", spec.name, role.as_str()));
                }
            }
            if !allowed {
                assert_eq!(written().await, before, "{} as {}: a refusal writes nothing", spec.name, role.as_str());
            }
        }
    }
    assert!(mismatches.is_empty(), "the registry and the answers disagree:\n{}", mismatches.join("\n"));
}
