package org.cnnzoo.transfer.search;

import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.transfer.Metrics;
import org.cnnzoo.transfer.RunInfo;
import org.cnnzoo.transfer.Runs;
import org.cnnzoo.transfer.TransferJob;
import org.cnnzoo.transfer.TransferPlan;
import org.cnnzoo.common.AtomicFiles;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A hyperparameter search over transfer-learning settings, run by Arbiter: its random or grid candidate generator
 * draws candidates from a {@link SearchSpace}, its local runner trains them one after another until a number of
 * candidates or a time limit, and the {@link ValidationScore} ranks them on validation data.
 *
 * <p>The output folder holds {@code search.json} (settings and every finished candidate, rewritten after each),
 * {@code best/} (a run folder of the best candidate, which {@code cnnzoo predict} accepts), {@code scores.png}
 * (score against each varied parameter) and {@code candidates.csv}. A killed search continues with
 * {@link Options#resume}: the generator draws the same candidates from the same seed, and those already recorded
 * are taken from the record instead of being trained again.
 */
public final class Search {
    static final String BEST = "best";
    static final String BEST_CANDIDATE = "candidate.json";
    /** Random candidates tried when neither a number nor a time limit is given. */
    static final int DEFAULT_TRIALS = 20;

    /** How candidates are drawn. */
    public enum Strategy {
        RANDOM, GRID;

        public static Strategy parse(String text) {
            return Words.parse(values(), text, "--strategy");
        }
    }

    /**
     * What to search, as an immutable value.
     *
     * @param job        the network, input, data (its validation part is required: candidates are scored on it) and
     *                   run settings; for a fine-tuning search also the head training every candidate starts from
     * @param space      null: the kind's default space
     * @param gridPoints points per continuous range in a grid search
     * @param trials     most candidates; null: {@value #DEFAULT_TRIALS} random ones (unlimited with a time limit), or
     *                   the whole grid
     * @param minutes    no new candidate starts after this many minutes; null: no limit
     * @param test       optional: the best candidate is measured on it once, after the search; it never ranks
     *                   candidates
     */
    public record Options(TransferPlan job, SearchKind kind, SearchSpace space, Strategy strategy, int gridPoints,
                          Integer trials, Double minutes, ValidationScore.Metric metric, ImageSource test, Path out,
                          boolean resume) {

        /** A random head search of the default space into {@code out}. */
        public static Options of(TransferPlan job, Path out) {
            return new Options(job, SearchKind.HEAD, null, Strategy.RANDOM, 3, null, null,
                    ValidationScore.Metric.ACCURACY, null, out, false);
        }

        public Options withKind(SearchKind value) {
            return new Options(job, value, space, strategy, gridPoints, trials, minutes, metric, test, out, resume);
        }

        public Options withSpace(SearchSpace value) {
            return new Options(job, kind, value, strategy, gridPoints, trials, minutes, metric, test, out, resume);
        }

        public Options withStrategy(Strategy value, int points) {
            return new Options(job, kind, space, value, points, trials, minutes, metric, test, out, resume);
        }

        public Options withBudget(Integer maxTrials, Double maxMinutes) {
            return new Options(job, kind, space, strategy, gridPoints, maxTrials, maxMinutes, metric, test, out, resume);
        }

        public Options withMetric(ValidationScore.Metric value) {
            return new Options(job, kind, space, strategy, gridPoints, trials, minutes, value, test, out, resume);
        }

        public Options withTest(ImageSource value) {
            return new Options(job, kind, space, strategy, gridPoints, trials, minutes, metric, value, out, resume);
        }

        public Options withResume(boolean value) {
            return new Options(job, kind, space, strategy, gridPoints, trials, minutes, metric, test, out, value);
        }
    }

    /** A finished search. */
    public record Result(List<Outcome> candidates, Optional<Outcome> best, Path bestRun, Metrics test, double seconds,
                         String table) {
    }

    private final Options o;
    private final SearchSpace space;
    private final Settings settings;
    private final ValidationScore score;
    private final TrialRunner trials;
    private final int maxCandidates;
    private SearchLog log;
    private volatile IOException fatal;
    private int done;

    private Search(Options o, UnaryOperator<TrialRunner> wrap) {
        this.o = o;
        TransferPlan j = o.job();
        if (j.backbone().graph() == null || j.data().train() == null || o.out() == null) {
            throw new IllegalArgumentException("a search needs a network, training data and an output folder");
        }
        if (j.data().validation() == null || j.data().validation().size() == 0) {
            throw new IllegalArgumentException("a search scores candidates on validation data, and there is none: give"
                    + " a split with a validation part");
        }
        sameClasses(j.data().train(), j.data().validation(), "validation");
        if (o.test() != null) {
            sameClasses(j.data().train(), o.test(), "test");
        }
        this.space = o.space() != null ? o.space() : SearchSpace.defaults(o.kind());
        if (space.kind() != o.kind()) {
            throw new IllegalArgumentException("the space is for a " + space.kind().name().toLowerCase(Locale.ROOT)
                    + " search, not " + o.kind().name().toLowerCase(Locale.ROOT));
        }
        if (o.trials() != null && o.trials() < 1) {
            throw new IllegalArgumentException("--trials must be at least 1, got " + o.trials());
        }
        if (o.minutes() != null && !(o.minutes() > 0)) {
            throw new IllegalArgumentException("--minutes must be above 0, got " + o.minutes());
        }
        if (o.strategy() == Strategy.GRID) {
            if (o.gridPoints() < 2) {
                throw new IllegalArgumentException("--grid-points must be at least 2, got " + o.gridPoints());
            }
            long size = space.gridSize(o.gridPoints());
            if (size > 100_000) {
                throw new IllegalArgumentException("the grid has " + size + " points; fix some parameters, use fewer"
                        + " --grid-points, or use random search");
            }
            this.maxCandidates = (int) Math.min(size, o.trials() == null ? size : o.trials());
        } else {
            this.maxCandidates = o.trials() != null ? o.trials() : o.minutes() != null ? Integer.MAX_VALUE : DEFAULT_TRIALS;
        }
        this.settings = new Settings(o.kind().name().toLowerCase(Locale.ROOT), space.spec(),
                o.strategy().name().toLowerCase(Locale.ROOT), o.strategy() == Strategy.GRID ? o.gridPoints() : 0,
                o.metric().name().toLowerCase(Locale.ROOT), j.run().seed(), j.backbone().name(),
                TransferJob.weightsHash(j.backbone().graph()), j.input().shape().toString(),
                j.input().normalization().name(), j.data().train().fingerprint(), j.data().validation().fingerprint(),
                o.kind() == SearchKind.FINETUNE ? j.head().head() + " lr " + j.head().learningRate() + " epochs "
                        + j.head().epochs() : null,
                j.run().batchSize());
        this.score = new ValidationScore(o.metric());
        this.trials = wrap.apply(o.kind() == SearchKind.HEAD ? new HeadTrials(j) : new FinetuneTrials(j));
    }

    private static void sameClasses(ImageSource train, ImageSource other, String what) {
        if (!other.classes().equals(train.classes())) {
            throw new IllegalArgumentException("the " + what + " data's classes " + other.classes()
                    + " differ from the training data's " + train.classes());
        }
    }

    public static Result run(Options o) throws IOException {
        return new Search(o, UnaryOperator.identity()).run();
    }

    /** For tests: the same search with its trial runner wrapped (to make candidates fail on purpose). */
    static Result run(Options o, UnaryOperator<TrialRunner> wrap) throws IOException {
        return new Search(o, wrap).run();
    }

    private Result run() throws IOException {
        long t0 = System.nanoTime();
        log = SearchLog.open(o.out(), settings, o.resume());
        if (o.resume()) {
            o.job().run().progress().message("resuming: " + log.outcomes().size() + " candidate(s) already recorded");
        }
        trials.prepare();

        CandidateGenerator generator = o.strategy() == Strategy.GRID
                ? new GridSearchCandidateGenerator(space.toArbiter(), o.gridPoints(),
                GridSearchCandidateGenerator.Mode.Sequential, null)
                : new RandomSearchGenerator(space.toArbiter(), null);
        List<TerminationCondition> stop = new ArrayList<>(List.of(new MaxCandidatesCondition(maxCandidates),
                new Aborted()));
        if (o.minutes() != null) {
            stop.add(new MaxTimeCondition(Math.max(1, Math.round(o.minutes() * 60_000)), TimeUnit.MILLISECONDS));
        }
        OptimizationConfiguration config = new OptimizationConfiguration.Builder()
                .candidateGenerator(generator)
                .dataProvider(trials.data())
                .scoreFunction(score)
                .terminationConditions(stop)
                .rngSeed(o.job().run().seed())
                .build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(1, config, new SearchTasks(this::evaluate));
        o.job().run().progress().start("search", maxCandidates == Integer.MAX_VALUE ? -1 : maxCandidates);
        runner.execute();
        o.job().run().progress().finish();
        if (fatal != null) {
            throw fatal;
        }

        Optional<Outcome> best = log.best(score.ranking());
        Path bestRun = null;
        Metrics test = null;
        if (best.isPresent()) {
            bestRun = ensureBestSaved(best.get());
            if (o.test() != null) {
                test = testBest(bestRun);
            }
        }
        List<Outcome> all = log.outcomes();
        String table = SearchReport.table(space, all, best.map(Outcome::index).orElse(-1), o.metric());
        SearchReport.writeCsv(o.out().resolve("candidates.csv"), space, all);
        SearchReport.writePlot(o.out().resolve("scores.png"), space, all, best.map(Outcome::index).orElse(-1), o.metric());
        return new Result(all, best, bestRun, test, (System.nanoTime() - t0) / 1e9, table);
    }

    /** Arbiter's task: one candidate, trained and scored, or taken from the record when resuming. */
    @SuppressWarnings("unchecked")
    private OptimizationResult evaluate(Candidate<?> candidate) {
        int index = candidate.getIndex();
        Map<String, Object> values = (Map<String, Object>) candidate.getValue();
        long created = System.currentTimeMillis();
        Optional<Outcome> recorded = log.recorded(index);
        Outcome outcome;
        if (recorded.isPresent()) {
            if (!SearchLog.sameValues(recorded.get().values(), values)) {
                fatal = new IOException("candidate " + index + " drawn now " + values + " differs from the one recorded "
                        + recorded.get().values() + "; the search cannot be resumed with this version");
                return result(candidate, null, created);
            }
            outcome = recorded.get();
        } else {
            outcome = train(new Trial(index, values));
            try {
                log.add(outcome);
            } catch (IOException e) {
                fatal = e;
            }
        }
        done++;
        o.job().run().progress().step(done);
        o.job().run().progress().message(describe(outcome));
        return result(candidate, outcome, created);
    }

    private Outcome train(Trial trial) {
        long t0 = System.nanoTime();
        TrialRunner.Trained t;
        Outcome outcome;
        Map<String, Object> parameters = trial.parameters();
        try {
            t = trials.train(trial);
            double[] lossAndAccuracy = ValidationScore.measure(t.scored(), trials.data(), parameters);
            if (!Double.isFinite(lossAndAccuracy[0])) {
                throw new ArithmeticException("training diverged: validation loss " + lossAndAccuracy[0]);
            }
            outcome = new Outcome(trial.index(), trial.values(), Outcome.OK, score.pick(lossAndAccuracy),
                    lossAndAccuracy[1], lossAndAccuracy[0], t.history().epochs().size(), t.history().bestEpoch(),
                    seconds(t0), null);
        } catch (Exception | OutOfMemoryError e) {
            // a candidate that cannot train (a diverging learning rate, too little memory) is recorded, and the
            // search goes on
            String message = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            return new Outcome(trial.index(), trial.values(), Outcome.FAILED, null, null, null, null, null, seconds(t0),
                    message);
        }
        Optional<Outcome> best = log.best(score.ranking());
        if (best.isEmpty() || score.ranking().compare(outcome, best.get()) < 0) {
            try {
                saveBest(t, outcome, parameters);
            } catch (IOException e) {
                fatal = e;
            }
        }
        return outcome;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private OptimizationResult result(Candidate<?> candidate, Outcome outcome, long created) {
        boolean ok = outcome != null && outcome.ok();
        CandidateInfo info = new CandidateInfo(candidate.getIndex(), ok ? CandidateStatus.Complete : CandidateStatus.Failed,
                ok ? outcome.score() : null, created, created, System.currentTimeMillis(), candidate.getFlatParameters(),
                outcome == null ? "not run" : outcome.error());
        return new OptimizationResult(candidate, ok ? outcome.score() : null, candidate.getIndex(), outcome, info, null);
    }

    private String describe(Outcome outcome) {
        String what = outcome.ok() ? String.format(Locale.ROOT, "%s %.4f", o.metric().name().toLowerCase(Locale.ROOT),
                outcome.score()) : "failed: " + outcome.error();
        return "#" + outcome.index() + " " + what;
    }

    /** Writes the candidate's run folder next to the old best, then swaps them, so a best folder is always whole. */
    private void saveBest(TrialRunner.Trained t, Outcome outcome, Map<String, Object> parameters) throws IOException {
        TransferPlan j = o.job();
        Metrics metrics = Metrics.evaluate(t.scored(), (DataSetIterator) trials.data().testData(parameters),
                j.data().train().classes(), 5);
        ComputationGraph whole = t.whole().get();
        RunInfo info = new RunInfo(j.backbone().name(), TransferJob.weightsHash(j.backbone().graph()), j.data().train().classes(), j.input().shape().height(),
                j.input().shape().width(), j.input().shape().channels(), j.input().normalization(), t.head(), o.kind() == SearchKind.HEAD ? "head" : "partial",
                "best candidate (#" + outcome.index() + ") of a " + settings.what() + " search; metrics.json is on the"
                        + " validation data", t.frozenUntil(), t.finetuned(), j.data().train().fingerprint(), t.augmentation(),
                j.run().command(), Instant.now().toString()).withStages(j.backbone().stages().on(whole));
        AtomicFiles.replaceFolder(o.out().resolve(BEST), dir -> {
            Runs.writeInto(dir, whole, info, metrics, List.of(t.history()));
            AtomicFiles.write(dir.resolve(BEST_CANDIDATE), tmp -> SearchReport.JSON.writeValue(tmp.toFile(), outcome));
        });
    }

    /**
     * The best folder belongs to the best recorded candidate unless the search was killed between saving one and
     * recording it; then the candidate (deterministic from its seed) is trained again and saved.
     */
    private Path ensureBestSaved(Outcome best) throws IOException {
        Path dir = o.out().resolve(BEST);
        Path marker = dir.resolve(BEST_CANDIDATE);
        if (Files.isRegularFile(marker)
                && SearchReport.JSON.readValue(marker.toFile(), Outcome.class).index() == best.index()) {
            return dir;
        }
        o.job().run().progress().message("saving the best candidate (#" + best.index() + ") again");
        Trial trial = new Trial(best.index(), best.values());
        TrialRunner.Trained t = trials.train(trial);
        Map<String, Object> parameters = trial.parameters();
        saveBest(t, best, parameters);
        return dir;
    }

    private Metrics testBest(Path bestRun) throws IOException {
        Runs.Loaded run = Runs.load(bestRun);
        TransferPlan j = o.job();
        DataSetIterator images = j.input().iterator(o.test(), j.run().batchSize(), null, false, j.run().seed(),
                j.run().threads());
        Metrics m = Metrics.evaluate(run.model(), images, j.data().train().classes(), 5);
        AtomicFiles.write(bestRun.resolve("test-metrics.json"), tmp -> SearchReport.JSON.writeValue(tmp.toFile(), m));
        return m;
    }

    /** Stops the runner when the record can no longer be written. */
    private final class Aborted implements TerminationCondition {
        @Override
        public void initialize(IOptimizationRunner runner) {
        }

        @Override
        public boolean terminate(IOptimizationRunner runner) {
            return fatal != null;
        }
    }
}
