"""keras.io "Proximal Policy Optimization" (tf.keras version) on a tiny NumPy CartPole-like
environment instead of gym: a Buffer class with scipy.signal.lfilter discounted sums, actor and
critic functional MLPs (activation=tf.tanh, tf.squeeze on the critic's KerasTensor output),
logprobabilities with tf.nn.log_softmax / tf.one_hot, @tf.function sample_action with
tf.random.categorical, @tf.function train_policy / train_value_function with GradientTape and
tf.where clipping, and the episode loop calling the models eagerly on NumPy observations and
action[0].numpy().

Keras 3 conversion (multi-backend): `import keras`; keras.ops in the model code (ops.squeeze on the
critic's KerasTensor, ops.log_softmax / ops.one_hot / ops.where), keras.random.categorical with a
SeedGenerator instead of tf.random.categorical; the two @tf.function tape steps become one
`gradient_step` helper per backend (tf.GradientTape on TensorFlow, jax.grad over the trainable
values in a keras.StatelessScope on JAX, torch.autograd.grad on PyTorch) followed by
optimizer.apply_gradients (the NumPy buffers become tensors first: a PyTorch tensor that
requires grad minus a NumPy array fails); model outputs going into the NumPy buffer pass through
keras.ops.convert_to_numpy."""
import numpy as np
import keras
from keras import layers, ops
import scipy.signal


class CartPoleLite:
    """A few lines of CartPole dynamics (gym's reset() / step() API of the time)."""

    def __init__(self, seed=0):
        self.rng = np.random.RandomState(seed)
        self.state = None

    def reset(self):
        self.state = self.rng.uniform(-0.05, 0.05, size=(4,))
        self.steps = 0
        return self.state.copy()

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = 10.0 if action == 1 else -10.0
        theta_acc = (9.8 * np.sin(theta) - np.cos(theta) * force * 0.05) / 0.5
        x_acc = force / 1.1
        x, x_dot = x + 0.02 * x_dot, x_dot + 0.02 * x_acc
        theta, theta_dot = theta + 0.02 * theta_dot, theta_dot + 0.02 * theta_acc
        self.state = np.array([x, x_dot, theta, theta_dot])
        self.steps += 1
        done = bool(abs(x) > 2.4 or abs(theta) > 0.21 or self.steps >= 50)
        return self.state.copy(), 1.0, done, {}


"""
## Functions and class
"""


def discounted_cumulative_sums(x, discount):
    # Discounted cumulative sums of vectors for computing rewards-to-go and advantage estimates
    return scipy.signal.lfilter([1], [1, float(-discount)], x[::-1], axis=0)[::-1]


class Buffer:
    # Buffer for storing trajectories
    def __init__(self, observation_dimensions, size, gamma=0.99, lam=0.95):
        # Buffer initialization
        self.observation_buffer = np.zeros(
            (size, observation_dimensions), dtype=np.float32
        )
        self.action_buffer = np.zeros(size, dtype=np.int32)
        self.advantage_buffer = np.zeros(size, dtype=np.float32)
        self.reward_buffer = np.zeros(size, dtype=np.float32)
        self.return_buffer = np.zeros(size, dtype=np.float32)
        self.value_buffer = np.zeros(size, dtype=np.float32)
        self.logprobability_buffer = np.zeros(size, dtype=np.float32)
        self.gamma, self.lam = gamma, lam
        self.pointer, self.trajectory_start_index = 0, 0

    def store(self, observation, action, reward, value, logprobability):
        # Append one step of agent-environment interaction
        self.observation_buffer[self.pointer] = observation
        self.action_buffer[self.pointer] = action
        self.reward_buffer[self.pointer] = reward
        self.value_buffer[self.pointer] = value
        self.logprobability_buffer[self.pointer] = logprobability
        self.pointer += 1

    def finish_trajectory(self, last_value=0):
        # Finish the trajectory by computing advantage estimates and rewards-to-go
        path_slice = slice(self.trajectory_start_index, self.pointer)
        rewards = np.append(self.reward_buffer[path_slice], last_value)
        values = np.append(self.value_buffer[path_slice], last_value)

        deltas = rewards[:-1] + self.gamma * values[1:] - values[:-1]

        self.advantage_buffer[path_slice] = discounted_cumulative_sums(
            deltas, self.gamma * self.lam
        )
        self.return_buffer[path_slice] = discounted_cumulative_sums(
            rewards, self.gamma
        )[:-1]

        self.trajectory_start_index = self.pointer

    def get(self):
        # Get all data of the buffer and normalize the advantages
        self.pointer, self.trajectory_start_index = 0, 0
        advantage_mean, advantage_std = (
            np.mean(self.advantage_buffer),
            np.std(self.advantage_buffer),
        )
        self.advantage_buffer = (self.advantage_buffer - advantage_mean) / advantage_std
        return (
            self.observation_buffer,
            self.action_buffer,
            self.advantage_buffer,
            self.return_buffer,
            self.logprobability_buffer,
        )


def mlp(x, sizes, activation="tanh", output_activation=None):
    # Build a feedforward neural network
    for size in sizes[:-1]:
        x = layers.Dense(units=size, activation=activation)(x)
    return layers.Dense(units=sizes[-1], activation=output_activation)(x)


def logprobabilities(logits, a):
    # Compute the log-probabilities of taking actions a by using the logits (i.e. the output of the actor)
    logprobabilities_all = ops.log_softmax(logits)
    logprobability = ops.sum(
        ops.one_hot(a, num_actions) * logprobabilities_all, axis=1
    )
    return logprobability


seed_generator = keras.random.SeedGenerator(1337)


# Sample action from actor
def sample_action(observation):
    logits = actor(observation)
    action = ops.squeeze(keras.random.categorical(logits, 1, seed=seed_generator), axis=1)
    return logits, action


def gradient_step(model, optimizer, loss_fn):
    """One optimizer step on loss_fn() (which calls `model`), with the backend's own gradients."""
    variables = model.trainable_variables
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            loss = loss_fn()
        grads = tape.gradient(loss, variables)
    elif backend == "jax":
        import jax

        def loss_of(values):
            with keras.StatelessScope(state_mapping=list(zip(variables, values))):
                return loss_fn()

        loss, grads = jax.value_and_grad(loss_of)([v.value for v in variables])
    else:
        import torch

        loss = loss_fn()
        grads = torch.autograd.grad(loss, [v.value for v in variables])
    optimizer.apply_gradients(zip(grads, variables))
    return loss


# Train the policy by maxizing the PPO-Clip objective
def train_policy(
    observation_buffer, action_buffer, logprobability_buffer, advantage_buffer
):
    logprobability_buffer = ops.convert_to_tensor(logprobability_buffer)
    advantage_buffer = ops.convert_to_tensor(advantage_buffer)

    def policy_loss_fn():
        ratio = ops.exp(
            logprobabilities(actor(observation_buffer), action_buffer)
            - logprobability_buffer
        )
        min_advantage = ops.where(
            advantage_buffer > 0,
            (1 + clip_ratio) * advantage_buffer,
            (1 - clip_ratio) * advantage_buffer,
        )
        return -ops.mean(ops.minimum(ratio * advantage_buffer, min_advantage))

    gradient_step(actor, policy_optimizer, policy_loss_fn)

    kl = ops.mean(
        logprobability_buffer
        - logprobabilities(actor(observation_buffer), action_buffer)
    )
    kl = ops.sum(kl)
    return float(ops.convert_to_numpy(kl))


# Train the value function by regression on mean-squared error
def train_value_function(observation_buffer, return_buffer):
    return_buffer = ops.convert_to_tensor(return_buffer)

    def value_loss_fn():
        return ops.mean((return_buffer - critic(observation_buffer)) ** 2)

    gradient_step(critic, value_optimizer, value_loss_fn)


"""
## Hyperparameters
"""

# Hyperparameters of the PPO algorithm
steps_per_epoch = 100
epochs = 2
gamma = 0.99
clip_ratio = 0.2
policy_learning_rate = 3e-4
value_function_learning_rate = 1e-3
train_policy_iterations = 4
train_value_iterations = 4
lam = 0.97
target_kl = 0.01
hidden_sizes = (16, 16)

# True if you want to render the environment
render = False

"""
## Initializations
"""

# Initialize the environment and get the dimensionality of the
# observation space and the number of possible actions
env = CartPoleLite()
observation_dimensions = 4
num_actions = 2

# Initialize the buffer
buffer = Buffer(observation_dimensions, steps_per_epoch)

# Initialize the actor and the critic as keras models
observation_input = keras.Input(shape=(observation_dimensions,), dtype="float32")
logits = mlp(observation_input, list(hidden_sizes) + [num_actions], "tanh", None)
actor = keras.Model(inputs=observation_input, outputs=logits)
value = ops.squeeze(
    mlp(observation_input, list(hidden_sizes) + [1], "tanh", None), axis=1
)
critic = keras.Model(inputs=observation_input, outputs=value)

# Initialize the policy and the value function optimizers
policy_optimizer = keras.optimizers.Adam(learning_rate=policy_learning_rate)
value_optimizer = keras.optimizers.Adam(learning_rate=value_function_learning_rate)

# Initialize the observation, episode return and episode length
observation, episode_return, episode_length = env.reset(), 0, 0

"""
## Train
"""
# Iterate over the number of epochs
for epoch in range(epochs):
    # Initialize the sum of the returns, lengths and number of episodes for each epoch
    sum_return = 0
    sum_length = 0
    num_episodes = 0

    # Iterate over the steps of each epoch
    for t in range(steps_per_epoch):
        if render:
            env.render()

        # Get the logits, action, and take one step in the environment
        observation = observation.reshape(1, -1)
        logits, action = sample_action(observation)
        observation_new, reward, done, _ = env.step(int(ops.convert_to_numpy(action[0])))
        episode_return += reward
        episode_length += 1

        # Get the value and log-probability of the action
        value_t = ops.convert_to_numpy(critic(observation))
        logprobability_t = ops.convert_to_numpy(logprobabilities(logits, action))

        # Store obs, act, rew, v_t, logp_pi_t
        buffer.store(observation, action[0], reward, value_t[0], logprobability_t[0])

        # Update the observation
        observation = observation_new

        # Finish trajectory if reached to a terminal state
        terminal = done
        if terminal or (t == steps_per_epoch - 1):
            last_value = 0 if done else ops.convert_to_numpy(critic(observation.reshape(1, -1)))
            buffer.finish_trajectory(last_value)
            sum_return += episode_return
            sum_length += episode_length
            num_episodes += 1
            observation, episode_return, episode_length = env.reset(), 0, 0

    # Get values from the buffer
    (
        observation_buffer,
        action_buffer,
        advantage_buffer,
        return_buffer,
        logprobability_buffer,
    ) = buffer.get()

    # Update the policy and implement early stopping using KL divergence
    for _ in range(train_policy_iterations):
        kl = train_policy(
            observation_buffer, action_buffer, logprobability_buffer, advantage_buffer
        )
        if kl > 1.5 * target_kl:
            # Early Stopping
            break

    # Update the value function
    for _ in range(train_value_iterations):
        train_value_function(observation_buffer, return_buffer)

    # Print mean return and length for each epoch
    print(
        f" Epoch: {epoch + 1}. Mean Return: {sum_return / num_episodes}. Mean Length: {sum_length / num_episodes}"
    )
