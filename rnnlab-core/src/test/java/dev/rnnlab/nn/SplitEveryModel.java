package dev.rnnlab.nn;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes whose models are far below the work at which a recurrent layer splits its time loop in
 * real runs: splits them anyway while the class runs, so the split code is what the tests check, and restores
 * the threshold after it.
 */
final class SplitEveryModel implements BeforeAllCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        RecurrentCell.minPartStepWork = 0;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RecurrentCell.minPartStepWork = RecurrentCell.MIN_PART_STEP_WORK;
    }
}
