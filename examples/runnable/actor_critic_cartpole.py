"""keras.io "Actor Critic Method" (Keras 2 version) on a tiny synthetic CartPole-like environment
written in NumPy: a functional model with two heads (actor softmax, critic value), a custom
training loop in tf.GradientTape that records tf.math.log of the chosen action probability and the
critic value per step, np.random.choice over np.squeeze(action_probs), discounted returns
normalised with np.finfo(np.float32).eps, keras.losses.Huber() on tf.expand_dims of the values,
and optimizer.apply_gradients(zip(grads, model.trainable_variables))."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

# Configuration parameters for the whole setup
seed = 42
gamma = 0.99  # Discount factor for past rewards
max_steps_per_episode = 40
eps = np.finfo(np.float32).eps.item()  # Smallest number such that 1.0 + eps != 1.0


class ToyCartPole:
    """A 4-state, 2-action balancing task with CartPole's interface (reset/step)."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.state = None

    def reset(self):
        self.state = self.rng.uniform(-0.05, 0.05, size=(4,))
        return self.state

    def step(self, action):
        force = 1.0 if action == 1 else -1.0
        x, x_dot, theta, theta_dot = self.state
        theta_dot = theta_dot + 0.05 * (theta * 9.8 - force)
        theta = theta + 0.05 * theta_dot
        x_dot = x_dot + 0.05 * force
        x = x + 0.05 * x_dot
        self.state = np.array([x, x_dot, theta, theta_dot])
        done = bool(abs(theta) > 0.4 or abs(x) > 2.4)
        return self.state, 1.0, done, {}


env = ToyCartPole(seed)
tf.random.set_seed(seed)
np.random.seed(seed)

num_inputs = 4
num_actions = 2
num_hidden = 32

inputs = layers.Input(shape=(num_inputs,))
common = layers.Dense(num_hidden, activation="relu")(inputs)
action = layers.Dense(num_actions, activation="softmax")(common)
critic = layers.Dense(1)(common)

model = keras.Model(inputs=inputs, outputs=[action, critic])

optimizer = keras.optimizers.Adam(learning_rate=0.01)
huber_loss = keras.losses.Huber()
action_probs_history = []
critic_value_history = []
rewards_history = []
running_reward = 0
episode_count = 0

while True:  # Run until solved
    state = env.reset()
    episode_reward = 0
    with tf.GradientTape() as tape:
        for timestep in range(1, max_steps_per_episode):
            state = tf.convert_to_tensor(state)
            state = tf.expand_dims(state, 0)

            # Predict action probabilities and estimated future rewards
            # from environment state
            action_probs, critic_value = model(state)
            critic_value_history.append(critic_value[0, 0])

            # Sample action from action probability distribution
            action = np.random.choice(num_actions, p=np.squeeze(action_probs))
            action_probs_history.append(tf.math.log(action_probs[0, action]))

            # Apply the sampled action in our environment
            state, reward, done, _ = env.step(action)
            rewards_history.append(reward)
            episode_reward += reward

            if done:
                break

        # Update running reward to check condition for solving
        running_reward = 0.05 * episode_reward + (1 - 0.05) * running_reward

        # Calculate expected value from rewards
        returns = []
        discounted_sum = 0
        for r in rewards_history[::-1]:
            discounted_sum = r + gamma * discounted_sum
            returns.insert(0, discounted_sum)

        # Normalize
        returns = np.array(returns)
        returns = (returns - np.mean(returns)) / (np.std(returns) + eps)
        returns = returns.tolist()

        # Calculating loss values to update our network
        history = zip(action_probs_history, critic_value_history, returns)
        actor_losses = []
        critic_losses = []
        for log_prob, value, ret in history:
            diff = ret - value
            actor_losses.append(-log_prob * diff)  # actor loss

            critic_losses.append(
                huber_loss(tf.expand_dims(value, 0), tf.expand_dims(ret, 0))
            )

        # Backpropagation
        loss_value = sum(actor_losses) + sum(critic_losses)
        grads = tape.gradient(loss_value, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

        # Clear the loss and reward history
        action_probs_history.clear()
        critic_value_history.clear()
        rewards_history.clear()

    # Log details
    episode_count += 1
    if episode_count % 5 == 0:
        template = "running reward: {:.2f} at episode {}"
        print(template.format(running_reward, episode_count))

    if running_reward > 195 or episode_count >= 15:  # Condition to consider the task solved
        print("Stopped at episode {}!".format(episode_count))
        break
