//! The OpenAPI 3.1 document: generated from the routes, committed as `openapi/openapi.json`
//! (rewritten by `make openapi`, checked by a test).

use utoipa::openapi::path::{Operation, ParameterIn};
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
        (name = "actions", description = "Micro-actions: everything a user can do from the search bar, by name, with a typed payload, role-gated and offered by a record's state."),
        (name = "search", description = "The search bar: what a query means (micro-actions with prefilled payloads), the records it names and the records matching its words."),
        (name = "work orders", description = "Planned and corrective work: lifecycle, assignment, hours and checklists."),
        (name = "admin", description = "Platform administration: provisioning and suspending yachts, tenant database state."),
        (name = "audit", description = "The tamper-evident record of every change to the yacht's data."),
        (name = "auth", description = "Sign in, refresh and sign out. Access tokens last 15 minutes; refresh tokens rotate on every use."),
        (name = "equipment", description = "The yacht's equipment hierarchy, status and running hours."),
        (name = "faults", description = "Faults reported aboard and their handling."),
        (name = "members", description = "A yacht's members, managed by its captain, manager or admin."),
        (name = "parts", description = "Spare parts and their stock ledger."),
        (name = "schedules", description = "Planned maintenance: every N days and/or running hours, whichever comes first; what is due; planning the due work."),
        (name = "notes", description = "Notes on equipment, faults and work orders, and the crew-change handover."),
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

/// A response documented once and referenced by status from the operations it applies to.
struct Shared {
    status: &'static str,
    name: &'static str,
    description: &'static str,
    /// Which operations can give it.
    applies: fn(&str, &Operation) -> bool,
}

fn always(_: &str, _: &Operation) -> bool {
    true
}

fn limited(path: &str, _: &Operation) -> bool {
    !crate::http::rate_limit::UNLIMITED.contains(&path)
}

fn authenticated(_: &str, operation: &Operation) -> bool {
    operation.security.as_ref().is_some_and(|s| !s.is_empty())
}

fn on_a_yacht(path: &str, _: &Operation) -> bool {
    path.starts_with("/v1/yachts/{yacht_id}")
}

fn platform_admin(path: &str, _: &Operation) -> bool {
    path.starts_with("/v1/admin/")
}

fn with_body(_: &str, operation: &Operation) -> bool {
    operation.request_body.is_some()
}

fn with_idempotency_key(_: &str, operation: &Operation) -> bool {
    operation.parameters.as_ref().is_some_and(|p| {
        p.iter()
            .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Header && p.name == "Idempotency-Key"))
    })
}

fn with_query(_: &str, operation: &Operation) -> bool {
    operation
        .parameters
        .as_ref()
        .is_some_and(|p| p.iter().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query)))
}

fn with_path_id(_: &str, operation: &Operation) -> bool {
    operation.parameters.as_ref().is_some_and(|p| {
        p.iter().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Path && p.name.ends_with("_id")))
    })
}

fn with_cursor(_: &str, operation: &Operation) -> bool {
    operation.parameters.as_ref().is_some_and(|p| {
        p.iter().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query && p.name == "cursor"))
    })
}

/// Responses shared by many operations; an operation that documents a status itself keeps its own.
const SHARED: [Shared; 17] = [
    Shared {
        status: "500",
        name: "InternalError",
        description: "An unexpected server error; the body's `request_id` identifies it in the logs.",
        applies: always,
    },
    Shared {
        status: "503",
        name: "Unavailable",
        description: "A dependency is unavailable or the request hit the server's deadline (`timeout`); retry after `Retry-After` seconds.",
        applies: always,
    },
    Shared {
        status: "414",
        name: "UriTooLong",
        description: "`uri_too_long`: the path and query are longer than 8 KiB.",
        applies: always,
    },
    Shared {
        status: "429",
        name: "RateLimited",
        description: "`rate_limited`: too many requests from this address or user (or `too_many_attempts` on sign-in); retry after `Retry-After` seconds.",
        applies: limited,
    },
    Shared {
        status: "401",
        name: "Unauthorized",
        description: "`unauthorized`: no valid access token.",
        applies: authenticated,
    },
    Shared {
        status: "403",
        name: "TenantForbidden",
        description: "`forbidden` (the caller's role may not do this), `yacht_suspended` or `membership_inactive`.",
        applies: on_a_yacht,
    },
    Shared {
        status: "404",
        name: "TenantNotFound",
        description: "`not_found`: no such yacht among the caller's, or no such record on it.",
        applies: on_a_yacht,
    },
    Shared {
        status: "403",
        name: "NotPlatformAdmin",
        description: "`forbidden`: not a platform administrator.",
        applies: platform_admin,
    },
    Shared {
        status: "400",
        name: "MalformedJson",
        description: "`malformed_json`: the body is not valid JSON.",
        applies: with_body,
    },
    Shared {
        status: "400",
        name: "BadIdempotencyKey",
        description: "`bad_request`: `Idempotency-Key` is not 1 to 255 visible ASCII characters.",
        applies: with_idempotency_key,
    },
    Shared {
        status: "409",
        name: "IdempotencyKeyReused",
        description: "`idempotency_key_reused`: this `Idempotency-Key` was used with a different request.",
        applies: with_idempotency_key,
    },
    Shared {
        status: "413",
        name: "PayloadTooLarge",
        description: "`payload_too_large`: the body exceeds the server's limit.",
        applies: with_body,
    },
    Shared {
        status: "415",
        name: "UnsupportedMediaType",
        description: "`unsupported_media_type`: send `Content-Type: application/json`.",
        applies: with_body,
    },
    Shared {
        status: "422",
        name: "InvalidBody",
        description: "`invalid_body` (wrong shape or types) or `validation_failed` (see `errors`; also a path id that is not a hyphenated UUID).",
        applies: with_body,
    },
    Shared {
        status: "422",
        name: "InvalidPageQuery",
        description: "`validation_failed`: a query parameter or a path id that is not a hyphenated UUID (see `errors`); `invalid_cursor`: `cursor` is not a `next_cursor` this list returned for the same filters and sort.",
        applies: with_cursor,
    },
    Shared {
        status: "422",
        name: "InvalidQuery",
        description: "`validation_failed`: a query parameter or a path id that is not a hyphenated UUID (see `errors`).",
        applies: with_query,
    },
    Shared {
        status: "422",
        name: "InvalidPathId",
        description: "`validation_failed`: a path id is not a hyphenated UUID (see `errors`).",
        applies: with_path_id,
    },
];

/// The full document, as served at `/openapi.json`.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, mut api) = routes::api_router(ApiDoc::openapi()).split_for_parts();
    add_common_responses(&mut api);
    document_error_codes(&mut api);
    constrain_idempotency_keys(&mut api);
    forbid_nul_in_strings(&mut api);
    api
}

/// Every free-text string says what the readers enforce: no NUL character (PostgreSQL cannot
/// store one, so bodies and query strings holding one are refused with 422).
fn forbid_nul_in_strings(api: &mut utoipa::openapi::OpenApi) {
    for schema in api.components.iter_mut().flat_map(|c| c.schemas.values_mut()) {
        forbid_nul(schema);
    }
    for item in api.paths.paths.values_mut() {
        for operation in operations_mut(item) {
            for parameter in operation.parameters.iter_mut().flatten() {
                if let RefOr::T(parameter) = parameter {
                    parameter.schema.iter_mut().for_each(forbid_nul);
                }
            }
            if let Some(RefOr::T(body)) = operation.request_body.as_mut() {
                for content in body.content.values_mut() {
                    if let RefOr::T(content) = content {
                        content.schema.iter_mut().for_each(forbid_nul);
                    }
                }
            }
        }
    }
}

fn forbid_nul(schema: &mut RefOr<utoipa::openapi::schema::Schema>) {
    use utoipa::openapi::schema::{
        AdditionalProperties, ArrayItems, KnownFormat, Schema, SchemaFormat, SchemaType, Type,
    };
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(object) => {
            let string = match &object.schema_type {
                SchemaType::Type(t) => *t == Type::String,
                SchemaType::Array(types) => types.contains(&Type::String),
                SchemaType::AnyValue => false,
            };
            // A password is free text too; other formats (uuid, date, email…) say what they hold.
            let free_format = matches!(object.format, None | Some(SchemaFormat::KnownFormat(KnownFormat::Password)));
            let free = object.pattern.is_none() && free_format && object.enum_values.is_none();
            if string && free {
                object.pattern = Some(r"^[^\x00]*$".to_owned());
            }
            object.properties.values_mut().for_each(forbid_nul);
            if let Some(AdditionalProperties::RefOr(extra)) = object.additional_properties.as_deref_mut() {
                forbid_nul(extra);
            }
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                forbid_nul(items);
            }
        }
        Schema::OneOf(union) => union.items.iter_mut().for_each(forbid_nul),
        Schema::AllOf(union) => union.items.iter_mut().for_each(forbid_nul),
        Schema::AnyOf(union) => union.items.iter_mut().for_each(forbid_nul),
        _ => {}
    }
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn spec_json() -> String {
    let mut json = serde_json::to_string_pretty(&spec()).expect("the OpenAPI document serialises");
    json.push('\n');
    json
}

/// `ErrorCode` as it is on the wire: the derive would list the Rust variant names, because the
/// serde renames come from a macro it cannot read through.
fn document_error_codes(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(
            "Stable, machine-readable error codes. The full catalogue; never reuse a code for a new meaning.",
        ))
        .enum_values(Some(codes))
        .build();
    api.components
        .get_or_insert_with(Default::default)
        .schemas
        .insert("ErrorCode".to_owned(), RefOr::T(Schema::Object(schema)));
}

/// Every `Idempotency-Key` header carries the rule its extractor enforces.
fn constrain_idempotency_keys(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    for item in api.paths.paths.values_mut() {
        for operation in operations_mut(item) {
            for parameter in operation.parameters.iter_mut().flatten() {
                let RefOr::T(parameter) = parameter else { continue };
                if parameter.parameter_in == ParameterIn::Header && parameter.name == "Idempotency-Key" {
                    let schema = ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1))
                        .max_length(Some(255))
                        .pattern(Some("^[!-~]{1,255}$"))
                        .build();
                    parameter.schema = Some(RefOr::T(Schema::Object(schema)));
                }
            }
        }
    }
}

fn add_common_responses(api: &mut utoipa::openapi::OpenApi) {
    let components = api.components.get_or_insert_with(Default::default);
    for shared in &SHARED {
        let response = ResponseBuilder::new()
            .description(shared.description)
            .content(PROBLEM_JSON, Content::new(Some(Ref::from_schema_name("Problem"))))
            .build();
        components.responses.insert(shared.name.to_owned(), RefOr::T(response));
    }
    for (path, item) in &mut api.paths.paths {
        for operation in operations_mut(item) {
            let applicable: Vec<&Shared> = SHARED.iter().filter(|s| (s.applies)(path, operation)).collect();
            for shared in applicable {
                operation
                    .responses
                    .responses
                    .entry(shared.status.to_owned())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name(shared.name)));
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
