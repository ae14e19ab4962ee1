//! Every error the framework itself produces is problem+json too.

use pms_tests::spawn_app;
use serde_json::Value;

async fn problem(response: reqwest::Response) -> (u16, Value, String) {
    let status = response.status().as_u16();
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let request_id = response.headers()["x-request-id"].to_str().expect("ascii").to_owned();
    (status, response.json().await.expect("problem body"), request_id)
}

#[tokio::test]
async fn an_unknown_route_is_a_404_problem() {
    let app = spawn_app().await;
    for path in ["/v1/nothing-here", "/..%2F..%2Fetc%2Fpasswd", "/health/extra", "/%00"] {
        let (status, body, request_id) = problem(app.get(path).await).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["code"], "not_found");
        assert_eq!(body["type"], "urn:pipeline-core:problem:not_found");
        assert_eq!(body["title"], "Not found");
        assert_eq!(body["status"], 404);
        assert_eq!(body["request_id"], request_id.as_str());
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
}

#[tokio::test]
async fn a_wrong_method_is_a_405_problem_that_says_what_is_allowed() {
    let app = spawn_app().await;
    for method in [reqwest::Method::POST, reqwest::Method::DELETE, reqwest::Method::PUT] {
        let response = app.client.request(method.clone(), app.url("/health")).send().await.expect("sent");
        let allow = response.headers()["allow"].to_str().expect("ascii").to_owned();
        let (status, body, _) = problem(response).await;
        assert_eq!(status, 405, "{method}");
        assert_eq!(body["code"], "method_not_allowed");
        assert!(allow.contains("GET"), "Allow: {allow}");
    }
}
