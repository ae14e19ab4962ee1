//! Every route of the service, registered together with its OpenAPI description.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub mod admin;
pub mod audit;
pub mod auth;
pub mod equipment;
pub mod faults;
pub mod members;
pub mod notes;
pub mod parts;
pub mod purchases;
pub mod schedules;
pub mod system;
pub mod work_orders;

/// All documented routes over `base`, the document's static part, without state or middleware
/// (the spec is generated from this too).
pub fn api_router(base: utoipa::openapi::OpenApi) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(base)
        .routes(routes!(system::health))
        .routes(routes!(system::ready))
        .routes(routes!(system::metrics))
        .routes(routes!(auth::login))
        .routes(routes!(auth::refresh))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(admin::create_yacht, admin::list_yachts))
        .routes(routes!(admin::suspend_yacht))
        .routes(routes!(admin::reactivate_yacht))
        .routes(routes!(admin::list_tenants))
        .routes(routes!(members::accept))
        .routes(routes!(members::list, members::create_invitation))
        .routes(routes!(members::change_role, members::remove))
        .routes(routes!(members::suspend))
        .routes(routes!(members::reactivate))
        .routes(routes!(equipment::create, equipment::list))
        .routes(routes!(equipment::get, equipment::update))
        .routes(routes!(equipment::set_status))
        .routes(routes!(equipment::record_hours, equipment::readings))
        .routes(routes!(faults::report, faults::list))
        .routes(routes!(faults::get, faults::update))
        .routes(routes!(faults::acknowledge))
        .routes(routes!(faults::resolve))
        .routes(routes!(faults::false_alarm))
        .routes(routes!(faults::reopen))
        .routes(routes!(work_orders::create, work_orders::list))
        .routes(routes!(work_orders::get, work_orders::update))
        .routes(routes!(work_orders::from_fault))
        .routes(routes!(work_orders::start))
        .routes(routes!(work_orders::complete))
        .routes(routes!(work_orders::defer))
        .routes(routes!(work_orders::cancel))
        .routes(routes!(work_orders::reopen))
        .routes(routes!(work_orders::assign))
        .routes(routes!(work_orders::hours))
        .routes(routes!(work_orders::add_item))
        .routes(routes!(work_orders::complete_item))
        .routes(routes!(schedules::create, schedules::list))
        .routes(routes!(schedules::due))
        .routes(routes!(schedules::plan_due))
        .routes(routes!(schedules::get, schedules::update))
        .routes(routes!(parts::create, parts::list))
        .routes(routes!(parts::get))
        .routes(routes!(parts::receive))
        .routes(routes!(parts::consume))
        .routes(routes!(parts::return_stock))
        .routes(routes!(parts::adjust))
        .routes(routes!(parts::movements))
        .routes(routes!(notes::add_equipment_note, notes::equipment_notes))
        .routes(routes!(notes::add_fault_note, notes::fault_notes))
        .routes(routes!(notes::add_work_order_note, notes::work_order_notes))
        .routes(routes!(notes::add_handover, notes::handover))
        .routes(routes!(purchases::create, purchases::list))
        .routes(routes!(purchases::approve))
        .routes(routes!(purchases::reject))
        .routes(routes!(purchases::ordered))
        .routes(routes!(purchases::receive))
        .routes(routes!(audit::list))
        .routes(routes!(audit::verify))
        .routes(routes!(crate::actions::list))
        .routes(routes!(crate::actions::execute))
        .routes(routes!(crate::actions::execute_anywhere))
        .routes(routes!(crate::search::search_yacht))
        .routes(routes!(crate::search::search_anywhere))
        .routes(routes!(crate::search::feedback::feedback))
}
