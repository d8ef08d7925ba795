package org.cnnzoo.transfer.search;

import java.util.List;

/**
 * What a search tunes, with the settings it can vary and the space used when the user gives none.
 *
 * <ul>
 *   <li>{@link #HEAD}: the new classifier, trained on cached features of the frozen network: every candidate takes
 *   seconds.</li>
 *   <li>{@link #FINETUNE}: how much of the network to unfreeze and how to train it, through the whole network with
 *   augmentation: slow, so few candidates.</li>
 * </ul>
 */
public enum SearchKind {
    HEAD(List.of(
            Parameter.real("lr", 0, false, 10, "learning rate"),
            Parameter.real("l2", 0, true, 1, "L2 weight decay of the head's layers"),
            Parameter.real("dropout", 0, true, 0.95, "dropout after the hidden layer (ignored by a linear head)"),
            Parameter.integer("hidden", 0, 1 << 16, "hidden units; 0 is a linear head"),
            Parameter.word("updater", Updaters.NAMES, "optimiser (nesterovs: SGD with Nesterov momentum 0.9)"),
            Parameter.integer("batch", 1, 1 << 16, "batch size"),
            Parameter.integer("epochs", 1, 10_000, "most epochs (training stops early when validation loss stalls)"),
            Parameter.integer("patience", 1, 10_000, "epochs without validation improvement before stopping")),
            "lr=1e-4..1e-1:log,l2=1e-6..1e-3:log,dropout=0..0.6,hidden=0|128|512,updater=adam|nesterovs,"
                    + "batch=16|32|64,epochs=40,patience=5"),
    FINETUNE(List.of(
            Parameter.integer("blocks", 1, 1000, "trainable blocks at the top of the network"),
            Parameter.real("lr", 0, false, 10, "fine-tuning learning rate (Adam)"),
            Parameter.real("augment", 0, true, 1, "augmentation strength: 0 none, 1 flips, crops down to 40% of the"
                    + " area, rotations up to 15 degrees and colour shifts of 0.1 (see Augmentation.ofStrength)"),
            Parameter.integer("batch", 1, 1 << 16, "batch size"),
            Parameter.integer("epochs", 1, 10_000, "most epochs"),
            Parameter.integer("patience", 1, 10_000, "epochs without validation improvement before stopping")),
            "blocks=1|2,lr=1e-5..1e-3:log,augment=0..1,batch=32,epochs=5,patience=2");

    private final List<Parameter> parameters;
    private final String defaults;

    SearchKind(List<Parameter> parameters, String defaults) {
        this.parameters = parameters;
        this.defaults = defaults;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /** The default space as a spec string. */
    public String defaults() {
        return defaults;
    }

    /** @throws IllegalArgumentException listing the known names */
    public Parameter parameter(String name) {
        for (Parameter p : parameters) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown parameter '" + name + "' for a " + name().toLowerCase()
                + " search; known: " + String.join(", ", parameters.stream().map(Parameter::name).toList()));
    }

    /** "head" or "finetune". */
    public static SearchKind parse(String text) {
        return Words.parse(values(), text, "--what");
    }
}
