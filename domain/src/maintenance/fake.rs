//! An in-memory tenant transaction for the domain's unit tests: what each use case wrote,
//! including its audit entries.

use std::collections::BTreeMap;

use super::Actor;
use super::audit::{AuditEntry, AuditLog, Snapshot};
use super::equipment::{Equipment, EquipmentFilter, EquipmentRepo, EquipmentWriteError, RunningHoursReading};
use super::fault::{Fault, FaultFilter, FaultRepo};
use super::paging::{Page, PageRequest};
use super::part::{Part, PartFilter, PartRepo, PartWriteError, Quantity, StockMovement};
use super::purchase::{PurchaseRepo, PurchaseRequest, PurchaseStatus};
use super::schedule::{MeteredSchedule, Schedule, ScheduleFilter, ScheduleRepo};
use super::work_order::{ChecklistItem, TimeEntry, WorkOrder, WorkOrderFilter, WorkOrderNumber, WorkOrderRepo};
use crate::ids::{EquipmentId, FaultId, PartId, PurchaseRequestId, ScheduleId, WorkOrderId};
use crate::store::StoreError;

/// An in-memory transaction: equipment, readings and the audit entries written.
#[derive(Default)]
pub struct FakeTx {
    pub equipment: BTreeMap<EquipmentId, Equipment>,
    pub readings: Vec<RunningHoursReading>,
    pub faults: BTreeMap<FaultId, Fault>,
    pub work_orders: BTreeMap<WorkOrderId, WorkOrder>,
    pub checklist: Vec<ChecklistItem>,
    pub time_entries: Vec<TimeEntry>,
    pub counters: BTreeMap<i32, u32>,
    pub parts: BTreeMap<PartId, Part>,
    pub movements: Vec<StockMovement>,
    pub purchases: BTreeMap<PurchaseRequestId, PurchaseRequest>,
    pub schedules: BTreeMap<ScheduleId, Schedule>,
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

impl WorkOrderRepo for FakeTx {
    async fn work_order(&mut self, id: WorkOrderId) -> Result<Option<WorkOrder>, StoreError> {
        Ok(self.work_orders.get(&id).cloned())
    }
    async fn work_order_for_update(&mut self, id: WorkOrderId) -> Result<Option<WorkOrder>, StoreError> {
        Ok(self.work_orders.get(&id).cloned())
    }
    async fn next_number(&mut self, year: i32) -> Result<WorkOrderNumber, StoreError> {
        let sequence = self.counters.entry(year).or_insert(0);
        *sequence += 1;
        Ok(WorkOrderNumber { year, sequence: *sequence })
    }
    async fn insert_work_order(&mut self, work_order: &WorkOrder) -> Result<(), StoreError> {
        self.work_orders.insert(work_order.id, work_order.clone());
        Ok(())
    }
    async fn update_work_order(&mut self, work_order: &WorkOrder) -> Result<(), StoreError> {
        self.work_orders.insert(work_order.id, work_order.clone());
        Ok(())
    }
    async fn active_work_order_for_fault(&mut self, fault: FaultId) -> Result<Option<WorkOrder>, StoreError> {
        Ok(self.work_orders.values().find(|w| w.fault == Some(fault) && w.status.is_active()).cloned())
    }
    async fn active_scheduled_work_orders(
        &mut self,
        equipment: Option<EquipmentId>,
    ) -> Result<Vec<WorkOrder>, StoreError> {
        let wanted = |w: &&WorkOrder| {
            w.schedule.is_some() && w.status.is_active() && equipment.is_none_or(|e| w.equipment == Some(e))
        };
        Ok(self.work_orders.values().filter(wanted).cloned().collect())
    }
    async fn list_work_orders(&mut self, _: &WorkOrderFilter, _: &PageRequest) -> Result<Page<WorkOrder>, StoreError> {
        Ok(Page { items: self.work_orders.values().cloned().collect(), next: None })
    }
    async fn checklist(&mut self, work_order: WorkOrderId) -> Result<Vec<ChecklistItem>, StoreError> {
        Ok(self.checklist.iter().filter(|i| i.work_order == work_order).cloned().collect())
    }
    async fn insert_checklist_item(&mut self, item: &ChecklistItem) -> Result<(), StoreError> {
        self.checklist.push(item.clone());
        Ok(())
    }
    async fn update_checklist_item(&mut self, item: &ChecklistItem) -> Result<(), StoreError> {
        if let Some(existing) = self.checklist.iter_mut().find(|i| i.id == item.id) {
            *existing = item.clone();
        }
        Ok(())
    }
    async fn insert_time_entry(&mut self, entry: &TimeEntry) -> Result<(), StoreError> {
        self.time_entries.push(entry.clone());
        Ok(())
    }
}

impl PartRepo for FakeTx {
    async fn part(&mut self, id: PartId) -> Result<Option<Part>, StoreError> {
        Ok(self.parts.get(&id).cloned())
    }
    async fn part_for_update(&mut self, id: PartId) -> Result<Option<Part>, StoreError> {
        Ok(self.parts.get(&id).cloned())
    }
    async fn insert_part(&mut self, part: &Part) -> Result<(), PartWriteError> {
        if self.parts.values().any(|p| p.number == part.number) {
            return Err(PartWriteError::NumberTaken);
        }
        self.parts.insert(part.id, part.clone());
        Ok(())
    }
    async fn record_movement(&mut self, part: &Part, movement: &StockMovement) -> Result<(), StoreError> {
        self.parts.insert(part.id, part.clone());
        self.movements.push(movement.clone());
        Ok(())
    }
    async fn list_parts(&mut self, _: &PartFilter, _: &PageRequest) -> Result<Page<Part>, StoreError> {
        Ok(Page { items: self.parts.values().cloned().collect(), next: None })
    }
    async fn issued_to(&mut self, part: PartId, work_order: WorkOrderId) -> Result<Quantity, StoreError> {
        let net: i64 = self
            .movements
            .iter()
            .filter(|m| m.part == part && m.work_order == Some(work_order))
            .map(|m| -m.delta_millis)
            .sum();
        Ok(Quantity::from_millis(net.max(0)).unwrap_or(Quantity::ZERO))
    }
    async fn movements(&mut self, part: PartId, _: &PageRequest) -> Result<Page<StockMovement>, StoreError> {
        Ok(Page { items: self.movements.iter().filter(|m| m.part == part).cloned().collect(), next: None })
    }
}

impl PurchaseRepo for FakeTx {
    async fn purchase_request(&mut self, id: PurchaseRequestId) -> Result<Option<PurchaseRequest>, StoreError> {
        Ok(self.purchases.get(&id).cloned())
    }
    async fn purchase_request_for_update(
        &mut self,
        id: PurchaseRequestId,
    ) -> Result<Option<PurchaseRequest>, StoreError> {
        Ok(self.purchases.get(&id).cloned())
    }
    async fn insert_purchase_request(&mut self, request: &PurchaseRequest) -> Result<(), StoreError> {
        self.purchases.insert(request.id, request.clone());
        Ok(())
    }
    async fn update_purchase_request(&mut self, request: &PurchaseRequest) -> Result<(), StoreError> {
        self.purchases.insert(request.id, request.clone());
        Ok(())
    }
    async fn purchase_requests(
        &mut self,
        status: &[PurchaseStatus],
        _: &PageRequest,
    ) -> Result<Page<PurchaseRequest>, StoreError> {
        let items =
            self.purchases.values().filter(|p| status.is_empty() || status.contains(&p.status)).cloned().collect();
        Ok(Page { items, next: None })
    }
}

impl ScheduleRepo for FakeTx {
    async fn schedule(&mut self, id: ScheduleId) -> Result<Option<Schedule>, StoreError> {
        Ok(self.schedules.get(&id).cloned())
    }
    async fn schedule_for_update(&mut self, id: ScheduleId) -> Result<Option<Schedule>, StoreError> {
        Ok(self.schedules.get(&id).cloned())
    }
    async fn insert_schedule(&mut self, schedule: &Schedule) -> Result<(), StoreError> {
        self.schedules.insert(schedule.id, schedule.clone());
        Ok(())
    }
    async fn update_schedule(&mut self, schedule: &Schedule) -> Result<(), StoreError> {
        self.schedules.insert(schedule.id, schedule.clone());
        Ok(())
    }
    async fn list_schedules(
        &mut self,
        _: &ScheduleFilter,
        _: &PageRequest,
    ) -> Result<Page<MeteredSchedule>, StoreError> {
        let items = self.schedules.values().map(|s| MeteredSchedule { schedule: s.clone(), current_hours: None });
        Ok(Page { items: items.collect(), next: None })
    }
    async fn active_schedules(&mut self, equipment: Option<EquipmentId>) -> Result<Vec<MeteredSchedule>, StoreError> {
        let metered = self
            .schedules
            .values()
            .filter(|s| s.active && equipment.is_none_or(|e| s.equipment == e))
            .map(|s| MeteredSchedule {
                schedule: s.clone(),
                current_hours: self.equipment.get(&s.equipment).and_then(|e| e.running_hours).map(|(h, _)| h),
            })
            .collect();
        Ok(metered)
    }
    async fn active_schedules_for_update(
        &mut self,
        equipment: Option<EquipmentId>,
    ) -> Result<Vec<MeteredSchedule>, StoreError> {
        self.active_schedules(equipment).await
    }
}
