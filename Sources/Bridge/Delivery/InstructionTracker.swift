import BridgeStore
import Essentials
import FoundationEssentials
import SolarNetwork

/// Follows queued SolarNetwork instructions to their final state (`sent` → `done` | `failed`).
///
/// Why polling with a deadline: `/instr/add` only stores the instruction; the charger (or the OSCP
/// peer) answers later, or never (charger offline, OSCP instruction stuck in `Queued`). Polls back off
/// from `trackerFirstPoll` by ×1.5 up to `trackerMaxPoll`, computed from the time since queueing so no
/// poll counter needs storing; after `trackerDeadline` the delivery is `failed`. Deliveries left `sent`
/// without an instruction id (a crash between sending and recording) go back to the processor, which
/// looks for the instruction before sending again.
final class InstructionTracker: Sendable {
    let processor: DeliveryProcessor

    init(processor: DeliveryProcessor) {
        self.processor = processor
    }

    private var store: BridgeStore { processor.store }
    private var settings: DeliverySettings { processor.settings }

    func track(_ row: DeliveryRow) {
        let budget: DeliveryBudget
        do {
            budget = DeliveryBudget(row: row, history: try store.attempts(deliveryId: row.id))
        } catch {
            processor.logger.error("cannot read delivery attempts", [("deliveryId", String(row.id)), ("error", error.description)])
            return
        }
        // No instruction recorded in the current budget (an id left from before an operator retry does not
        // count): the send was interrupted, so the processor finds or sends the instruction.
        guard DeliveryProcessor.isSolarNetwork(row.channel), let text = row.externalId, let id = Int64(text),
              let sentAt = budget.sentAt else {
            processor.process(row)
            return
        }
        guard let client = processor.solarNetwork.client else {
            finish(row, state: DeliveryState.failed, error: SolarNetworkInstructionChannel.missingCredentials, result: nil)
            return
        }
        let reply = client.viewInstruction(id: id)
        let now = processor.now()
        let pastDeadline = now.timeIntervalSince(sentAt) >= settings.trackerDeadline
        switch reply.outcome {
        case let .success(instruction):
            processor.metrics.increment("ecbridge_instruction_polls_total", help: "Instruction status polls.",
                                        labels: [("outcome", "ok")])
            switch InstructionVerdict.of(instruction, channel: row.channel) {
            case .done:
                finish(row, state: DeliveryState.done, error: nil, result: instruction.recordJSON)
            case let .failed(reason):
                finish(row, state: DeliveryState.failed, error: "instruction \(id): \(reason)", result: instruction.recordJSON)
            case .waiting where pastDeadline:
                finish(row, state: DeliveryState.failed,
                       error: "instruction \(id): no final state before the deadline (\(Int(settings.trackerDeadline)) s; last state \(instruction.state.rawValue))",
                       result: instruction.recordJSON)
            case .waiting:
                reschedule(row, now: now, sentAt: sentAt, retryAfter: nil, error: nil, result: instruction.recordJSON)
            }
        case let .failure(failure):
            processor.metrics.increment("ecbridge_instruction_polls_total", help: "Instruction status polls.",
                                        labels: [("outcome", failure.kind.rawValue)])
            if failure.kind == .permanent {
                finish(row, state: DeliveryState.failed, error: "instruction \(id) status unavailable: \(failure.message)", result: nil)
            } else if pastDeadline {
                finish(row, state: DeliveryState.failed,
                       error: "instruction \(id): no final state before the deadline (\(Int(settings.trackerDeadline)) s; last poll: \(failure.message))",
                       result: nil)
            } else {
                reschedule(row, now: now, sentAt: sentAt, retryAfter: RetryAfter.seconds(failure.retryAfter, now: now),
                           error: "status poll: \(failure.message)", result: nil)
            }
        }
    }

    /// `first + 0.5 × elapsed` reproduces ×1.5 growth (each pause is half the time already waited plus the
    /// first), bounded by `trackerMaxPoll` and the deadline.
    func nextPoll(now: Date, sentAt: Date, retryAfter: Double?) -> Date {
        let elapsed = max(0, now.timeIntervalSince(sentAt))
        var pause = min(settings.trackerMaxPoll, settings.trackerFirstPoll + 0.5 * elapsed)
        pause = max(pause, retryAfter ?? 0)
        let deadline = sentAt.addingTimeInterval(settings.trackerDeadline)
        let next = now.addingTimeInterval(pause)
        return next > deadline && deadline > now ? deadline : next
    }

    private func reschedule(_ row: DeliveryRow, now: Date, sentAt: Date, retryAfter: Double?, error: String?, result: String?) {
        do {
            try store.updateDelivery(deliveryId: row.id, newState: DeliveryState.sent,
                                     nextAttemptAt: nextPoll(now: now, sentAt: sentAt, retryAfter: retryAfter),
                                     externalId: nil, lastError: error, result: result, now: now)
        } catch {
            processor.logger.error("cannot reschedule a status poll", [("deliveryId", String(row.id)), ("error", error.description)])
        }
    }

    private func finish(_ row: DeliveryRow, state: String, error: String?, result: String?) {
        do {
            try store.updateDelivery(deliveryId: row.id, newState: state, nextAttemptAt: nil, externalId: nil,
                                     lastError: error, result: result, now: processor.now())
        } catch {
            processor.logger.error("cannot record an instruction result", [("deliveryId", String(row.id)), ("error", error.description)])
            return
        }
        processor.countFinal(row.channel, state)
        var fields: [(String, String)] = [("deliveryId", String(row.id)), ("channel", row.channel), ("target", row.targetKey),
                                          ("instructionId", row.externalId ?? "-"), ("state", state)]
        if let error { fields.append(("error", error)) }
        if state == DeliveryState.done {
            processor.logger.info("instruction final", fields)
        } else {
            processor.logger.warning("instruction final", fields)
        }
    }
}
