//! The OpenAPI 3.1 document: generated from the routes, committed as `openapi/openapi.json`
//! (rewritten by `make openapi`, checked by a test).

use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr};
use utoipa::{Modify, OpenApi};

use crate::error::{ErrorCode, FieldError, PROBLEM_JSON, Problem};
use crate::routes;

/// The document's static part; operations are added by the routes.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "pipeline-core",
        description = "Backend of a yacht Planned Maintenance System. Every error is an RFC 9457 \
            `application/problem+json` document with a stable `code`; every response carries \
            `x-request-id`.",
    ),
    tags(
        (name = "admin", description = "Platform administration: provisioning and suspending yachts, tenant database state."),
        (name = "audit", description = "The tamper-evident record of every change to the yacht's data."),
        (name = "auth", description = "Sign in, refresh and sign out. Access tokens last 15 minutes; refresh tokens rotate on every use."),
        (name = "equipment", description = "The yacht's equipment hierarchy, status and running hours."),
        (name = "members", description = "A yacht's members, managed by its captain, manager or admin."),
        (name = "operations", description = "Liveness, readiness and metrics for operators and load balancers."),
    ),
    components(schemas(Problem, ErrorCode, FieldError)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

/// The `bearer` security scheme: our access tokens (or Supabase's, when configured).
#[derive(Debug)]
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// Responses every operation that takes a JSON body can give.
const BODY_RESPONSES: [(&str, &str, &str); 4] = [
    ("400", "MalformedJson", "`malformed_json`: the body is not valid JSON."),
    ("413", "PayloadTooLarge", "`payload_too_large`: the body exceeds the server's limit."),
    ("415", "UnsupportedMediaType", "`unsupported_media_type`: send `Content-Type: application/json`."),
    ("422", "InvalidBody", "`invalid_body` (wrong shape or types) or `validation_failed` (see `errors`)."),
];

/// Responses any operation can give, documented once and referenced from every operation.
const COMMON_RESPONSES: [(&str, &str, &str); 2] = [
    ("500", "InternalError", "An unexpected server error; the body's `request_id` identifies it in the logs."),
    (
        "503",
        "Unavailable",
        "A dependency is unavailable or the request hit the server's deadline (`timeout`); retry after `Retry-After` seconds.",
    ),
];

/// The full document, as served at `/openapi.json`.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, mut api) = routes::api_router().split_for_parts();
    add_common_responses(&mut api);
    api
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn spec_json() -> String {
    let mut json = serde_json::to_string_pretty(&spec()).expect("the OpenAPI document serialises");
    json.push('\n');
    json
}

fn add_common_responses(api: &mut utoipa::openapi::OpenApi) {
    let components = api.components.get_or_insert_with(Default::default);
    for &(_, name, description) in COMMON_RESPONSES.iter().chain(&BODY_RESPONSES) {
        let response = ResponseBuilder::new()
            .description(description)
            .content(PROBLEM_JSON, Content::new(Some(Ref::from_schema_name("Problem"))))
            .build();
        components.responses.insert(name.to_owned(), RefOr::T(response));
    }
    for item in api.paths.paths.values_mut() {
        for operation in operations_mut(item) {
            let body_responses: &[_] = if operation.request_body.is_some() { &BODY_RESPONSES } else { &[] };
            for &(status, name, _) in COMMON_RESPONSES.iter().chain(body_responses) {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
            }
        }
    }
}

fn operations_mut(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}
