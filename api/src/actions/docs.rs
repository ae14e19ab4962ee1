//! The execute body in the OpenAPI document: a union over the actions, each variant pinning
//! `action` to its name and `payload` to its schema, with its description and an example.

use std::borrow::Cow;

use pms_domain::actions;
use serde_json::json;
use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Type};
use utoipa::openapi::{Ref, RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::dispatch::ActionContext;
use super::executors::documented;

/// `{"action", "context", "payload"}`, one variant per action.
#[derive(Debug)]
pub struct ActionCall;

impl PartialSchema for ActionCall {
    fn schema() -> RefOr<Schema> {
        let mut union = OneOfBuilder::new()
            .description(Some("Which action to run, where, and its payload. Unknown payload fields are refused."));
        for d in documented() {
            let Some(spec) = actions::find(d.name.as_str()) else { continue };
            let description = format!(
                "{} ({}; {}.)",
                spec.description,
                spec.side_effect.as_str(),
                match spec.access {
                    actions::Access::Everyone => "any member",
                    actions::Access::Technical => "engineers and heads of department",
                    actions::Access::HeadOfDepartment => "heads of department",
                }
            );
            let variant = ObjectBuilder::new()
                .title(Some(d.name.as_str()))
                .description(Some(description))
                .property("action", ObjectBuilder::new().schema_type(Type::String).enum_values(Some([d.name.as_str()])))
                .required("action")
                .property("context", Ref::from_schema_name(ActionContext::name()))
                .property("payload", Ref::from_schema_name(d.payload.clone()))
                .required("payload")
                .additional_properties(Some(AdditionalProperties::FreeForm(false)))
                .examples([json!({"action": d.name.as_str(), "payload": d.example})]);
            union = union.item(variant);
        }
        union.into()
    }
}

/// A payload's schema with `additionalProperties: false`: the payload parser refuses unknown fields.
fn closed(schema: RefOr<Schema>) -> RefOr<Schema> {
    match schema {
        RefOr::T(Schema::Object(mut object)) => {
            object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
            RefOr::T(Schema::Object(object))
        }
        other => other,
    }
}

impl ToSchema for ActionCall {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ActionCall")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((ActionContext::name().into_owned(), ActionContext::schema()));
        for d in documented() {
            schemas.push((d.payload, closed(d.schema)));
            schemas.extend(d.references);
        }
    }
}
