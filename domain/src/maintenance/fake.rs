//! An in-memory tenant transaction for the domain's unit tests: what each use case wrote,
//! including its audit entries.

use std::collections::BTreeMap;

use super::Actor;
use super::audit::{AuditEntry, AuditLog, Snapshot};
use super::equipment::{Equipment, EquipmentFilter, EquipmentRepo, EquipmentWriteError, RunningHoursReading};
use super::fault::{Fault, FaultFilter, FaultRepo};
use super::paging::{Page, PageRequest};
use crate::ids::{EquipmentId, FaultId};
use crate::store::StoreError;

/// An in-memory transaction: equipment, readings and the audit entries written.
#[derive(Default)]
pub struct FakeTx {
    pub equipment: BTreeMap<EquipmentId, Equipment>,
    pub readings: Vec<RunningHoursReading>,
    pub faults: BTreeMap<FaultId, Fault>,
    pub audit: Vec<(String, Option<Snapshot>, Option<Snapshot>)>,
}

impl EquipmentRepo for FakeTx {
    async fn equipment(&mut self, id: EquipmentId) -> Result<Option<Equipment>, StoreError> {
        Ok(self.equipment.get(&id).cloned())
    }
    async fn equipment_for_update(&mut self, id: EquipmentId) -> Result<Option<Equipment>, StoreError> {
        Ok(self.equipment.get(&id).cloned())
    }
    async fn insert_equipment(&mut self, equipment: &Equipment) -> Result<(), EquipmentWriteError> {
        if self.equipment.values().any(|e| e.code == equipment.code) {
            return Err(EquipmentWriteError::CodeTaken);
        }
        self.equipment.insert(equipment.id, equipment.clone());
        Ok(())
    }
    async fn update_equipment(&mut self, equipment: &Equipment) -> Result<(), EquipmentWriteError> {
        if self.equipment.values().any(|e| e.code == equipment.code && e.id != equipment.id) {
            return Err(EquipmentWriteError::CodeTaken);
        }
        self.equipment.insert(equipment.id, equipment.clone());
        Ok(())
    }
    async fn is_within(&mut self, root: EquipmentId, candidate: EquipmentId) -> Result<bool, StoreError> {
        let mut current = Some(candidate);
        while let Some(id) = current {
            if id == root {
                return Ok(true);
            }
            current = self.equipment.get(&id).and_then(|e| e.parent);
        }
        Ok(false)
    }
    async fn list_equipment(&mut self, _: &EquipmentFilter, _: &PageRequest) -> Result<Page<Equipment>, StoreError> {
        Ok(Page { items: self.equipment.values().cloned().collect(), next: None })
    }
    async fn insert_reading(&mut self, reading: &RunningHoursReading) -> Result<(), StoreError> {
        self.readings.push(reading.clone());
        Ok(())
    }
    async fn readings(&mut self, _: EquipmentId, _: &PageRequest) -> Result<Page<RunningHoursReading>, StoreError> {
        Ok(Page { items: self.readings.clone(), next: None })
    }
}

impl AuditLog for FakeTx {
    async fn append(&mut self, _: &Actor, entry: AuditEntry) -> Result<(), StoreError> {
        self.audit.push((entry.action.to_owned(), entry.before, entry.after));
        Ok(())
    }
}

impl FaultRepo for FakeTx {
    async fn fault(&mut self, id: FaultId) -> Result<Option<Fault>, StoreError> {
        Ok(self.faults.get(&id).cloned())
    }
    async fn fault_for_update(&mut self, id: FaultId) -> Result<Option<Fault>, StoreError> {
        Ok(self.faults.get(&id).cloned())
    }
    async fn insert_fault(&mut self, fault: &Fault) -> Result<(), StoreError> {
        self.faults.insert(fault.id, fault.clone());
        Ok(())
    }
    async fn update_fault(&mut self, fault: &Fault) -> Result<(), StoreError> {
        self.faults.insert(fault.id, fault.clone());
        Ok(())
    }
    async fn list_faults(&mut self, _: &FaultFilter, _: &PageRequest) -> Result<Page<Fault>, StoreError> {
        Ok(Page { items: self.faults.values().cloned().collect(), next: None })
    }
}
