# The seed's experiment as a ballast script: `make demo` runs it against a private daemon;
# `ballast run examples/seed.bal` runs it against yours. One command per line, each one
# protocol method (`help COMMAND` shows the mapping); `#` starts a comment.

echo "== Ballast: the seed's fraud experiment, CE against WCE, on the synthetic fraud preset =="
echo
echo "-- generate: the shape of the credit-card fraud data (284,807 rows, 30 features, 492 positives)"
generate fraud seed=7 as cards
echo
echo "-- split: stratified, 50% train / 20% validation / 30% test"
split cards test=0.3 val=0.2 seed=0
echo
echo "-- weights: the seed's inverse class weights (they sum to 1) on the training split"
weights cards.train scheme=inverse
echo
echo "-- train: logistic regression with plain cross-entropy (CE)"
train cards.train val=cards.validation loss=ce as ce
echo
echo "-- train: the same with the seed's weighted cross-entropy (WCE, inverse weights)"
train cards.train val=cards.validation weights=inverse as wce
echo
echo "-- compare: the seed's table, every arm trained on cards.train and scored on cards.test"
compare cards.train test=cards.test val=cards.validation
echo
echo "-- sweep: the seed's weight w chosen by 5-fold cross-validation instead of trial and error"
sweep cards.train param=w grid=0.5:0.99:8 folds=5
echo
echo "-- vs-seed: our CE and WCE beside the figures the seed reports"
vs-seed
echo
echo "-- train: a small network (one hidden layer of 16, Adam, 12 epochs, WCE with w=0.7), with live progress"
train cards.train val=cards.validation model=mlp hidden=16 epochs=12 w=0.7 as net
echo
echo "-- plot: its training loss and validation F1 (run/events) and its PR curve (model/evaluate)"
plot net cards.test
echo
echo "-- tune: what Ballast would choose by itself. Each default candidate (CE; WCE at w = 0.6, 0.75, 0.9, 0.97 and"
echo "   balanced; focal at γ 0.5, 1, 2; over-, under-sampling and SMOTE) is cross-validated on cards.train, each"
echo "   fold scored at the threshold tuned on the other folds. The winner is the simplest candidate within one"
echo "   standard error of the best mean, calibrated (Platt) and stored as 'tuned'; the honest estimate repeats the"
echo "   whole choice in 3 outer folds, each scored on rows its choice never saw. About fifteen seconds here"
echo "   (release build); estimate=holdout takes a quarter of that, at the price of choosing on fewer rows."
tune cards.train calibrate=platt as tuned
echo
echo "-- evaluate: the tuned model, with its tuned threshold, on cards.test, which took no part in choosing"
evaluate tuned cards.test
echo
echo "Ballast's choice is the 'chosen' line above: chosen by mean F1 over the folds, not by one lucky split, with a"
echo "threshold tuned on predictions for rows its model never trained on. The 'honest estimate'"
echo "predicted how it would do on new rows before cards.test was touched; the evaluate above is that check."
