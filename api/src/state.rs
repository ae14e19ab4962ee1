//! The state every handler can reach: adapters chosen by the composition root.

use metrics_exporter_prometheus::PrometheusHandle;
use pms_infra::master::MasterDb;

/// Shared, cheaply clonable application state.
#[derive(Debug, Clone)]
pub struct AppState {
    pub master: MasterDb,
    pub metrics: PrometheusHandle,
}
