"""RetinaNet-style detection head with anchor boxes, IoU matching and a focal loss.

In the style of the tf.keras-era keras.io "Object Detection with RetinaNet" example, shrunk to
one feature level: box utilities (swap_xy, convert_to_xywh / convert_to_corners with tf.concat,
compute_iou with tf.maximum / tf.minimum), an AnchorBox generator (tf.meshgrid, tf.range,
tf.stack, tf.tile, tf.reshape), a LabelEncoder that matches anchors to ground truth with
tf.reduce_max / tf.argmax / tf.where / tf.gather and encodes box targets with tf.math.log, and
RetinaNetBoxLoss / RetinaNetClassificationLoss / RetinaNetLoss subclasses of tf.losses.Loss
(reduction="none" / "auto") using tf.nn.sigmoid_cross_entropy_with_logits, tf.where, tf.pow,
tf.one_hot, tf.math.divide_no_nan; a tiny conv backbone + heads; and box decoding after predict.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

np.random.seed(5)
tf.random.set_seed(5)

IMG = 32
NUM_CLASSES = 3


def swap_xy(boxes):
    return tf.stack([boxes[:, 1], boxes[:, 0], boxes[:, 3], boxes[:, 2]], axis=-1)


def convert_to_xywh(boxes):
    return tf.concat(
        [(boxes[..., :2] + boxes[..., 2:]) / 2.0, boxes[..., 2:] - boxes[..., :2]],
        axis=-1,
    )


def convert_to_corners(boxes):
    return tf.concat(
        [boxes[..., :2] - boxes[..., 2:] / 2.0, boxes[..., :2] + boxes[..., 2:] / 2.0],
        axis=-1,
    )


def compute_iou(boxes1, boxes2):
    boxes1_corners = convert_to_corners(boxes1)
    boxes2_corners = convert_to_corners(boxes2)
    lu = tf.maximum(boxes1_corners[:, None, :2], boxes2_corners[:, :2])
    rd = tf.minimum(boxes1_corners[:, None, 2:], boxes2_corners[:, 2:])
    intersection = tf.maximum(0.0, rd - lu)
    intersection_area = intersection[:, :, 0] * intersection[:, :, 1]
    boxes1_area = boxes1[:, 2] * boxes1[:, 3]
    boxes2_area = boxes2[:, 2] * boxes2[:, 3]
    union_area = tf.maximum(boxes1_area[:, None] + boxes2_area - intersection_area, 1e-8)
    return tf.clip_by_value(intersection_area / union_area, 0.0, 1.0)


class AnchorBox:
    """Anchors of two sizes and two aspect ratios on one stride-8 feature map."""

    def __init__(self):
        self.aspect_ratios = [0.5, 1.0, 2.0]
        self.scales = [1.0, 1.5]
        self._num_anchors = len(self.aspect_ratios) * len(self.scales)
        self.stride = 8
        self.area = 12.0 ** 2
        self._anchor_dims = self._compute_dims()

    def _compute_dims(self):
        anchor_dims = []
        for ratio in self.aspect_ratios:
            anchor_height = tf.math.sqrt(self.area / ratio)
            anchor_width = self.area / anchor_height
            dims = tf.reshape(tf.stack([anchor_width, anchor_height], axis=-1), [1, 1, 2])
            for scale in self.scales:
                anchor_dims.append(scale * dims)
        return tf.stack(anchor_dims, axis=-2)

    def get_anchors(self, image_height, image_width):
        fh, fw = image_height // self.stride, image_width // self.stride
        rx = tf.range(fw, dtype=tf.float32) + 0.5
        ry = tf.range(fh, dtype=tf.float32) + 0.5
        centers = tf.stack(tf.meshgrid(rx, ry), axis=-1) * self.stride
        centers = tf.expand_dims(centers, axis=-2)
        centers = tf.tile(centers, [1, 1, self._num_anchors, 1])
        dims = tf.tile(self._anchor_dims, [fh, fw, 1, 1])
        anchors = tf.concat([centers, dims], axis=-1)
        return tf.reshape(anchors, [fh * fw * self._num_anchors, 4])


class LabelEncoder:
    def __init__(self):
        self._anchor_box = AnchorBox()
        self._box_variance = tf.convert_to_tensor([0.1, 0.1, 0.2, 0.2], dtype=tf.float32)

    def _match_anchor_boxes(self, anchor_boxes, gt_boxes, match_iou=0.5, ignore_iou=0.4):
        iou_matrix = compute_iou(anchor_boxes, gt_boxes)
        max_iou = tf.reduce_max(iou_matrix, axis=1)
        matched_gt_idx = tf.argmax(iou_matrix, axis=1)
        positive_mask = tf.greater_equal(max_iou, match_iou)
        negative_mask = tf.less(max_iou, ignore_iou)
        ignore_mask = tf.logical_not(tf.logical_or(positive_mask, negative_mask))
        return matched_gt_idx, tf.cast(positive_mask, dtype=tf.float32), tf.cast(ignore_mask, dtype=tf.float32)

    def _compute_box_target(self, anchor_boxes, matched_gt_boxes):
        box_target = tf.concat(
            [
                (matched_gt_boxes[:, :2] - anchor_boxes[:, :2]) / anchor_boxes[:, 2:],
                tf.math.log(matched_gt_boxes[:, 2:] / anchor_boxes[:, 2:]),
            ],
            axis=-1,
        )
        return box_target / self._box_variance

    def encode_sample(self, image_shape, gt_boxes, cls_ids):
        anchor_boxes = self._anchor_box.get_anchors(image_shape[0], image_shape[1])
        cls_ids = tf.cast(cls_ids, dtype=tf.float32)
        matched_gt_idx, positive_mask, ignore_mask = self._match_anchor_boxes(anchor_boxes, gt_boxes)
        matched_gt_boxes = tf.gather(gt_boxes, matched_gt_idx)
        box_target = self._compute_box_target(anchor_boxes, matched_gt_boxes)
        matched_gt_cls_ids = tf.gather(cls_ids, matched_gt_idx)
        cls_target = tf.where(tf.not_equal(positive_mask, 1.0), -1.0, matched_gt_cls_ids)
        cls_target = tf.where(tf.equal(ignore_mask, 1.0), -2.0, cls_target)
        cls_target = tf.expand_dims(cls_target, axis=-1)
        return tf.concat([box_target, cls_target], axis=-1)


# Synthetic images: one or two bright rectangles each, boxes in (x, y, w, h) pixels.
label_encoder = LabelEncoder()
images, targets, all_boxes = [], [], []
for i in range(96):
    image = np.random.normal(0, 0.1, size=(IMG, IMG, 3)).astype("float32")
    boxes, classes = [], []
    for _ in range(np.random.randint(1, 3)):
        w, h = np.random.randint(8, 18), np.random.randint(8, 18)
        x0, y0 = np.random.randint(0, IMG - w), np.random.randint(0, IMG - h)
        c = np.random.randint(NUM_CLASSES)
        image[y0 : y0 + h, x0 : x0 + w, c] += 1.0
        boxes.append([y0, x0, y0 + h, x0 + w])  # (ymin, xmin, ymax, xmax) as in TFDS
        classes.append(c)
    bbox = convert_to_xywh(swap_xy(tf.constant(boxes, dtype=tf.float32)))
    images.append(image)
    targets.append(label_encoder.encode_sample(image.shape, bbox, tf.constant(classes)).numpy())
    all_boxes.append(bbox.numpy())
images = np.stack(images)
targets = np.stack(targets)
print("images", images.shape, "targets", targets.shape)


class RetinaNetBoxLoss(tf.losses.Loss):
    def __init__(self, delta):
        super(RetinaNetBoxLoss, self).__init__(reduction="none", name="RetinaNetBoxLoss")
        self._delta = delta

    def call(self, y_true, y_pred):
        difference = y_true - y_pred
        absolute_difference = tf.abs(difference)
        squared_difference = difference ** 2
        loss = tf.where(
            tf.less(absolute_difference, self._delta),
            0.5 * squared_difference,
            absolute_difference - 0.5,
        )
        return tf.reduce_sum(loss, axis=-1)


class RetinaNetClassificationLoss(tf.losses.Loss):
    def __init__(self, alpha, gamma):
        super(RetinaNetClassificationLoss, self).__init__(reduction="none", name="RetinaNetClassificationLoss")
        self._alpha = alpha
        self._gamma = gamma

    def call(self, y_true, y_pred):
        cross_entropy = tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
        probs = tf.nn.sigmoid(y_pred)
        pt = tf.where(tf.equal(y_true, 1.0), probs, 1 - probs)
        alpha = tf.where(tf.equal(y_true, 1.0), self._alpha, (1.0 - self._alpha))
        loss = alpha * tf.pow(1.0 - pt, self._gamma) * cross_entropy
        return tf.reduce_sum(loss, axis=-1)


class RetinaNetLoss(tf.losses.Loss):
    def __init__(self, num_classes=80, alpha=0.25, gamma=2.0, delta=1.0):
        super(RetinaNetLoss, self).__init__(reduction="auto", name="RetinaNetLoss")
        self._clf_loss = RetinaNetClassificationLoss(alpha, gamma)
        self._box_loss = RetinaNetBoxLoss(delta)
        self._num_classes = num_classes

    def call(self, y_true, y_pred):
        y_pred = tf.cast(y_pred, dtype=tf.float32)
        box_labels = y_true[:, :, :4]
        box_predictions = y_pred[:, :, :4]
        cls_labels = tf.one_hot(tf.cast(y_true[:, :, 4], dtype=tf.int32), depth=self._num_classes, dtype=tf.float32)
        cls_predictions = y_pred[:, :, 4:]
        positive_mask = tf.cast(tf.greater(y_true[:, :, 4], -1.0), dtype=tf.float32)
        ignore_mask = tf.cast(tf.equal(y_true[:, :, 4], -2.0), dtype=tf.float32)
        clf_loss = self._clf_loss(cls_labels, cls_predictions)
        box_loss = self._box_loss(box_labels, box_predictions)
        clf_loss = tf.where(tf.equal(ignore_mask, 1.0), 0.0, clf_loss)
        box_loss = tf.where(tf.equal(positive_mask, 1.0), box_loss, 0.0)
        normalizer = tf.reduce_sum(positive_mask, axis=-1)
        clf_loss = tf.math.divide_no_nan(tf.reduce_sum(clf_loss, axis=-1), normalizer)
        box_loss = tf.math.divide_no_nan(tf.reduce_sum(box_loss, axis=-1), normalizer)
        return clf_loss + box_loss


def build_head(output_filters, bias_init):
    head = keras.Sequential([keras.Input(shape=[None, None, 32])])
    kernel_init = tf.initializers.RandomNormal(0.0, 0.01)
    for _ in range(2):
        head.add(layers.Conv2D(32, 3, padding="same", kernel_initializer=kernel_init))
        head.add(layers.ReLU())
    head.add(layers.Conv2D(output_filters, 3, 1, padding="same", kernel_initializer=kernel_init, bias_initializer=bias_init))
    return head


class RetinaNet(keras.Model):
    def __init__(self, num_classes, **kwargs):
        super(RetinaNet, self).__init__(name="RetinaNet", **kwargs)
        self.backbone = keras.Sequential(
            [
                layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
                layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
                layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            ]
        )
        self.num_classes = num_classes
        prior_probability = tf.constant_initializer(-np.log((1 - 0.01) / 0.01))
        self.cls_head = build_head(6 * num_classes, prior_probability)
        self.box_head = build_head(6 * 4, "zeros")

    def call(self, image, training=False):
        feature = self.backbone(image, training=training)
        N = tf.shape(image)[0]
        box_outputs = tf.reshape(self.box_head(feature), [N, -1, 4])
        cls_outputs = tf.reshape(self.cls_head(feature), [N, -1, self.num_classes])
        return tf.concat([box_outputs, cls_outputs], axis=-1)


model = RetinaNet(NUM_CLASSES)
learning_rates = [2.5e-04, 1e-03, 5e-04]
learning_rate_boundaries = [10, 40]
learning_rate_fn = tf.optimizers.schedules.PiecewiseConstantDecay(
    boundaries=learning_rate_boundaries, values=learning_rates
)
optimizer = tf.optimizers.SGD(learning_rate=learning_rate_fn, momentum=0.9)
model.compile(loss=RetinaNetLoss(NUM_CLASSES), optimizer=optimizer)
model.fit(images, targets, batch_size=16, epochs=3, verbose=2)

# Decode the box predictions of the first image back to corners.
anchor_boxes = AnchorBox().get_anchors(IMG, IMG)
predictions = model.predict(images[:2], verbose=0)
box_predictions = predictions[0, :, :4] * tf.convert_to_tensor([0.1, 0.1, 0.2, 0.2])
decoded = tf.concat(
    [
        box_predictions[:, :2] * anchor_boxes[:, 2:] + anchor_boxes[:, :2],
        tf.math.exp(box_predictions[:, 2:]) * anchor_boxes[:, 2:],
    ],
    axis=-1,
)
decoded = convert_to_corners(decoded)
scores = tf.nn.sigmoid(predictions[0, :, 4:])
best = tf.argmax(tf.reduce_max(scores, axis=-1))
print("best anchor", int(best), "box", decoded[best].numpy().round(1), "gt", all_boxes[0][0])
