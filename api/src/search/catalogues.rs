//! Each yacht's [`Catalogue`], kept in memory between searches and reloaded when the yacht's
//! audit-chain head has moved (every change to a record moves it, in the same transaction).
//!
//! The check costs one indexed read per search, so a record created a moment ago is found by
//! the next search, on this instance or any other. At most [`YACHTS`] catalogues are kept, each
//! for at most [`KEEP`], so memory stays bounded however many yachts search.

use std::sync::Arc;
use std::time::Duration;

use pms_domain::catalogue::Catalogue;
use pms_domain::ids::YachtId;
use pms_infra::tenant::search::{catalogue_records, catalogue_version};
use pms_infra::tenant::tx::TenantTx;

use super::cache::TtlCache;
use crate::error::ApiError;

/// How many yachts' catalogues are kept (the demo yacht's takes about 1 MB).
const YACHTS: usize = 128;
/// How long a catalogue is trusted without being reloaded, whatever its version says.
const KEEP: Duration = Duration::from_secs(600);

#[derive(Debug)]
pub struct Catalogues {
    kept: TtlCache<YachtId, (i64, Arc<Catalogue>)>,
}

impl Default for Catalogues {
    fn default() -> Self {
        Self { kept: TtlCache::new(YACHTS, KEEP) }
    }
}

impl Catalogues {
    /// The yacht's catalogue as of this transaction.
    pub async fn current(&self, tx: &mut TenantTx) -> Result<Arc<Catalogue>, ApiError> {
        let yacht = tx.yacht();
        let version = catalogue_version(tx).await?;
        if let Some((kept_version, catalogue)) = self.kept.get(&yacht)
            && kept_version == version
        {
            return Ok(catalogue);
        }
        let catalogue = Arc::new(Catalogue::new(catalogue_records(tx).await?));
        metrics::counter!("search_catalogue_loads_total").increment(1);
        self.kept.insert(yacht, (version, Arc::clone(&catalogue)));
        Ok(catalogue)
    }
}
